# Conversations: /history and its buttons, /rename, /retry, /export, the idle timeout.

# Before the answer to a message that came after a long silence.
conversation-idle-fresh-start = Es ist eine Weile her, also habe ich ein neues Gespräch begonnen. Das vorige findest du unter /history.

# Above the /history list; ▶ marks the current conversation.
conversation-list-heading = Deine Gespräche (▶ ist das aktuelle):

# /history when there is no conversation at all.
conversation-list-empty = Noch keine Gespräche. Schreib mir einfach, um eines zu beginnen.

# The title of a conversation that has none.
conversation-untitled = (ohne Titel)

# Button: continue conversation number $n of the list.
conversation-open-button = ▶ { $n } öffnen

# Button: rename conversation number $n.
conversation-rename-button = ✏️ { $n }

# Button: delete conversation number $n (asks first).
conversation-delete-button = 🗑 { $n }

# Button: yes, delete conversation number $n.
conversation-confirm-delete-button = Ja, { $n } löschen

# Button: do not delete after all.
conversation-keep-button = Behalten

# Above the list while a deletion waits for its confirmation.
conversation-confirm-delete = „{ $title }“ endgültig löschen? Das lässt sich nicht rückgängig machen.

# Above the list after a conversation was opened again.
conversation-opened = Weiter mit „{ $title }“: schreib einfach.

# Above the list after a conversation was deleted.
conversation-deleted = „{ $title }“ gelöscht.

# Above the list when the pressed conversation is no longer there.
conversation-gone = Dieses Gespräch gibt es nicht mehr.

# Alert on the rename button: how to rename line $n.
conversation-rename-hint = Zum Umbenennen sende /rename { $n } und danach den neuen Titel.

# After /rename.
conversation-renamed = Umbenannt in „{ $title }“.

# /rename without a title.
conversation-rename-usage = Sende /rename und den neuen Titel für dieses Gespräch, oder /rename <n> <Titel> für Zeile n von /history.

# /rename names a line or a conversation that is not there.
conversation-rename-missing = Dieses Gespräch gibt es in /history nicht.

# /retry with no reply to write again.
conversation-retry-nothing = In diesem Gespräch gibt es noch keine Antwort von mir, die ich neu schreiben könnte.

# /export (or /export all) with nothing said yet.
conversation-export-nothing = Es gibt noch nichts zu exportieren.

# The caption on an exported conversation's file.
conversation-export-caption =
    „{ $title }“: { $n ->
        [one] { $n } Nachricht
       *[other] { $n } Nachrichten
    }.

# Added to an export's caption when its oldest messages were left out.
conversation-export-cut-note = Die ältesten Nachrichten passten nicht hinein und fehlen.

# After /export all: how many files were sent.
conversation-export-all-done =
    { $n ->
        [one] { $n } Gespräch exportiert, als eine Datei.
       *[other] { $n } Gespräche exportiert, je eine Datei.
    }

# The first line of an exported file.
conversation-export-heading = # { $title }

# The line under an export's heading.
conversation-export-dated = Begonnen am { $started }, exportiert am { $date } (UTC).

# Who spoke, in an export: the user.
conversation-export-you = Du

# Who spoke, in an export: the bot.
conversation-export-bot = Bot

# In an export, before the notes the bot folded older turns into.
conversation-export-notes = Meine Notizen zum bisherigen Gespräch

# In an export, where older messages were left out.
conversation-export-cut = (ältere Nachrichten passten nicht hinein)

# The private command menu.
cmd-rename = Ein Gespräch umbenennen
cmd-retry = Meine letzte Antwort neu schreiben
