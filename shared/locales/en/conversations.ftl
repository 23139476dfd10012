# Conversations: /history and its buttons, /rename, /retry, /export, the idle timeout.

# Before the answer to a message that came after a long silence.
conversation-idle-fresh-start = It's been a while, so I started a new conversation. The earlier one is in /history.

# Above the /history list; ▶ marks the current conversation.
conversation-list-heading = Your conversations (▶ is the current one):

# /history when there is no conversation at all.
conversation-list-empty = No conversations yet. Just write to me to start one.

# The title of a conversation that has none.
conversation-untitled = (untitled)

# Button: continue conversation number $n of the list.
conversation-open-button = ▶ Open { $n }

# Button: rename conversation number $n.
conversation-rename-button = ✏️ { $n }

# Button: delete conversation number $n (asks first).
conversation-delete-button = 🗑 { $n }

# Button: yes, delete conversation number $n.
conversation-confirm-delete-button = Yes, delete { $n }

# Button: do not delete after all.
conversation-keep-button = Keep it

# Above the list while a deletion waits for its confirmation.
conversation-confirm-delete = Delete “{ $title }” for good? This can't be undone.

# Above the list after a conversation was opened again.
conversation-opened = Continuing “{ $title }”: just write.

# Above the list after a conversation was deleted.
conversation-deleted = Deleted “{ $title }”.

# Above the list when the pressed conversation is no longer there.
conversation-gone = That conversation is no longer here.

# Alert on the rename button: how to rename line $n.
conversation-rename-hint = To rename it, send /rename { $n } followed by the new title.

# After /rename.
conversation-renamed = Renamed to “{ $title }”.

# /rename without a title.
conversation-rename-usage = Send /rename followed by the new title for this conversation, or /rename <n> <title> for line n of /history.

# /rename names a line or a conversation that is not there.
conversation-rename-missing = There is no such conversation in /history to rename.

# /retry with no reply to write again.
conversation-retry-nothing = There's no reply of mine in this conversation to write again yet.

# /export (or /export all) with nothing said yet.
conversation-export-nothing = There's nothing to export yet.

# The caption on an exported conversation's file.
conversation-export-caption =
    “{ $title }”: { $n ->
        [one] { $n } message
       *[other] { $n } messages
    }.

# Added to an export's caption when its oldest messages were left out.
conversation-export-cut-note = The oldest messages did not fit and were left out.

# After /export all: how many files were sent.
conversation-export-all-done =
    { $n ->
        [one] { $n } conversation exported, one file.
       *[other] { $n } conversations exported, one file each.
    }

# The first line of an exported file.
conversation-export-heading = # { $title }

# The line under an export's heading.
conversation-export-dated = Started { $started }, exported { $date } (UTC).

# Who spoke, in an export: the user.
conversation-export-you = You

# Who spoke, in an export: the bot.
conversation-export-bot = Bot

# In an export, before the notes the bot folded older turns into.
conversation-export-notes = My notes on the conversation so far

# In an export, where older messages were left out.
conversation-export-cut = (older messages did not fit)

# The private command menu.
cmd-rename = Rename a conversation
cmd-retry = Write my last reply again
