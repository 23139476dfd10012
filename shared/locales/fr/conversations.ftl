# Conversations: /history and its buttons, /rename, /retry, /export, the idle timeout.

# Before the answer to a message that came after a long silence.
conversation-idle-fresh-start = Ça fait un moment, alors j'ai commencé une nouvelle conversation. La précédente est dans /history.

# Above the /history list; ▶ marks the current conversation.
conversation-list-heading = Tes conversations (▶ est celle en cours) :

# /history when there is no conversation at all.
conversation-list-empty = Pas encore de conversation. Écris-moi pour en commencer une.

# The title of a conversation that has none.
conversation-untitled = (sans titre)

# Button: continue conversation number $n of the list.
conversation-open-button = ▶ Ouvrir { $n }

# Button: rename conversation number $n.
conversation-rename-button = ✏️ { $n }

# Button: delete conversation number $n (asks first).
conversation-delete-button = 🗑 { $n }

# Button: yes, delete conversation number $n.
conversation-confirm-delete-button = Oui, supprimer { $n }

# Button: do not delete after all.
conversation-keep-button = La garder

# Above the list while a deletion waits for its confirmation.
conversation-confirm-delete = Supprimer « { $title } » définitivement ? C'est irréversible.

# Above the list after a conversation was opened again.
conversation-opened = On reprend « { $title } » : écris simplement.

# Above the list after a conversation was deleted.
conversation-deleted = « { $title } » supprimée.

# Above the list when the pressed conversation is no longer there.
conversation-gone = Cette conversation n'existe plus.

# Alert on the rename button: how to rename line $n.
conversation-rename-hint = Pour la renommer, envoie /rename { $n } suivi du nouveau titre.

# After /rename.
conversation-renamed = Renommée en « { $title } ».

# /rename without a title.
conversation-rename-usage = Envoie /rename suivi du nouveau titre de cette conversation, ou /rename <n> <titre> pour la ligne n de /history.

# /rename names a line or a conversation that is not there.
conversation-rename-missing = Cette conversation n'est pas dans /history.

# /retry with no reply to write again.
conversation-retry-nothing = Il n'y a pas encore de réponse de ma part à réécrire dans cette conversation.

# /export (or /export all) with nothing said yet.
conversation-export-nothing = Il n'y a encore rien à exporter.

# The caption on an exported conversation's file.
conversation-export-caption =
    « { $title } » : { $n ->
        [one] { $n } message
       *[other] { $n } messages
    }.

# Added to an export's caption when its oldest messages were left out.
conversation-export-cut-note = Les messages les plus anciens ne tenaient pas et ont été omis.

# After /export all: how many files were sent.
conversation-export-all-done =
    { $n ->
        [one] { $n } conversation exportée, en un fichier.
       *[other] { $n } conversations exportées, un fichier chacune.
    }

# The first line of an exported file.
conversation-export-heading = # { $title }

# The line under an export's heading.
conversation-export-dated = Commencée le { $started }, exportée le { $date } (UTC).

# Who spoke, in an export: the user.
conversation-export-you = Toi

# Who spoke, in an export: the bot.
conversation-export-bot = Bot

# In an export, before the notes the bot folded older turns into.
conversation-export-notes = Mes notes sur la conversation jusqu'ici

# In an export, where older messages were left out.
conversation-export-cut = (les messages plus anciens ne tenaient pas)

# The private command menu.
cmd-rename = Renommer une conversation
cmd-retry = Réécrire ma dernière réponse
