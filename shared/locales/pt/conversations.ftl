# Conversations: /history and its buttons, /rename, /retry, /export, the idle timeout.

# Before the answer to a message that came after a long silence.
conversation-idle-fresh-start = Já faz um tempo, então comecei uma conversa nova. A anterior está em /history.

# Above the /history list; ▶ marks the current conversation.
conversation-list-heading = Suas conversas (▶ é a atual):

# /history when there is no conversation at all.
conversation-list-empty = Ainda não há conversas. É só me escrever para começar uma.

# The title of a conversation that has none.
conversation-untitled = (sem título)

# Button: continue conversation number $n of the list.
conversation-open-button = ▶ Abrir { $n }

# Button: rename conversation number $n.
conversation-rename-button = ✏️ { $n }

# Button: delete conversation number $n (asks first).
conversation-delete-button = 🗑 { $n }

# Button: yes, delete conversation number $n.
conversation-confirm-delete-button = Sim, apagar { $n }

# Button: do not delete after all.
conversation-keep-button = Manter

# Above the list while a deletion waits for its confirmation.
conversation-confirm-delete = Apagar “{ $title }” de vez? Isso não pode ser desfeito.

# Above the list after a conversation was opened again.
conversation-opened = Continuando “{ $title }”: é só escrever.

# Above the list after a conversation was deleted.
conversation-deleted = “{ $title }” apagada.

# Above the list when the pressed conversation is no longer there.
conversation-gone = Essa conversa não está mais aqui.

# Alert on the rename button: how to rename line $n.
conversation-rename-hint = Para renomear, envie /rename { $n } seguido do novo título.

# After /rename.
conversation-renamed = Renomeada para “{ $title }”.

# /rename without a title.
conversation-rename-usage = Envie /rename seguido do novo título desta conversa, ou /rename <n> <título> para a linha n de /history.

# /rename names a line or a conversation that is not there.
conversation-rename-missing = Não há essa conversa em /history.

# /retry with no reply to write again.
conversation-retry-nothing = Ainda não há nenhuma resposta minha nesta conversa para refazer.

# /export (or /export all) with nothing said yet.
conversation-export-nothing = Ainda não há nada para exportar.

# The caption on an exported conversation's file.
conversation-export-caption =
    “{ $title }”: { $n ->
        [one] { $n } mensagem
       *[other] { $n } mensagens
    }.

# Added to an export's caption when its oldest messages were left out.
conversation-export-cut-note = As mensagens mais antigas não couberam e ficaram de fora.

# After /export all: how many files were sent.
conversation-export-all-done =
    { $n ->
        [one] { $n } conversa exportada, em um arquivo.
       *[other] { $n } conversas exportadas, um arquivo cada.
    }

# The first line of an exported file.
conversation-export-heading = # { $title }

# The line under an export's heading.
conversation-export-dated = Iniciada em { $started }, exportada em { $date } (UTC).

# Who spoke, in an export: the user.
conversation-export-you = Você

# Who spoke, in an export: the bot.
conversation-export-bot = Bot

# In an export, before the notes the bot folded older turns into.
conversation-export-notes = Minhas notas sobre a conversa até aqui

# In an export, where older messages were left out.
conversation-export-cut = (as mensagens mais antigas não couberam)

# The private command menu.
cmd-rename = Renomear uma conversa
cmd-retry = Escrever de novo minha última resposta
