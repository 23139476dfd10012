# Conversations: /history and its buttons, /rename, /retry, /export, the idle timeout.

# Before the answer to a message that came after a long silence.
conversation-idle-fresh-start = Ha pasado un tiempo, así que empecé una conversación nueva. La anterior está en /history.

# Above the /history list; ▶ marks the current conversation.
conversation-list-heading = Tus conversaciones (▶ es la actual):

# /history when there is no conversation at all.
conversation-list-empty = Aún no hay conversaciones. Escríbeme para empezar una.

# The title of a conversation that has none.
conversation-untitled = (sin título)

# Button: continue conversation number $n of the list.
conversation-open-button = ▶ Abrir { $n }

# Button: rename conversation number $n.
conversation-rename-button = ✏️ { $n }

# Button: delete conversation number $n (asks first).
conversation-delete-button = 🗑 { $n }

# Button: yes, delete conversation number $n.
conversation-confirm-delete-button = Sí, borrar { $n }

# Button: do not delete after all.
conversation-keep-button = Conservarla

# Above the list while a deletion waits for its confirmation.
conversation-confirm-delete = ¿Borrar «{ $title }» para siempre? No se puede deshacer.

# Above the list after a conversation was opened again.
conversation-opened = Seguimos con «{ $title }»: escribe cuando quieras.

# Above the list after a conversation was deleted.
conversation-deleted = «{ $title }» borrada.

# Above the list when the pressed conversation is no longer there.
conversation-gone = Esa conversación ya no está.

# Alert on the rename button: how to rename line $n.
conversation-rename-hint = Para renombrarla, envía /rename { $n } seguido del nuevo título.

# After /rename.
conversation-renamed = Renombrada como «{ $title }».

# /rename without a title.
conversation-rename-usage = Envía /rename seguido del nuevo título de esta conversación, o /rename <n> <título> para la línea n de /history.

# /rename names a line or a conversation that is not there.
conversation-rename-missing = No hay tal conversación en /history.

# /retry with no reply to write again.
conversation-retry-nothing = Todavía no hay ninguna respuesta mía en esta conversación que rehacer.

# /export (or /export all) with nothing said yet.
conversation-export-nothing = Todavía no hay nada que exportar.

# The caption on an exported conversation's file.
conversation-export-caption =
    «{ $title }»: { $n ->
        [one] { $n } mensaje
       *[other] { $n } mensajes
    }.

# Added to an export's caption when its oldest messages were left out.
conversation-export-cut-note = Los mensajes más antiguos no cupieron y se omitieron.

# After /export all: how many files were sent.
conversation-export-all-done =
    { $n ->
        [one] { $n } conversación exportada, en un archivo.
       *[other] { $n } conversaciones exportadas, un archivo cada una.
    }

# The first line of an exported file.
conversation-export-heading = # { $title }

# The line under an export's heading.
conversation-export-dated = Empezada el { $started }, exportada el { $date } (UTC).

# Who spoke, in an export: the user.
conversation-export-you = Tú

# Who spoke, in an export: the bot.
conversation-export-bot = Bot

# In an export, before the notes the bot folded older turns into.
conversation-export-notes = Mis notas sobre la conversación hasta aquí

# In an export, where older messages were left out.
conversation-export-cut = (los mensajes más antiguos no cupieron)

# The private command menu.
cmd-rename = Renombrar una conversación
cmd-retry = Escribir de nuevo mi última respuesta
