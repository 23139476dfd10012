# Conversations: /history and its buttons, /rename, /retry, /export, the idle timeout.

# Before the answer to a message that came after a long silence.
conversation-idle-fresh-start = Давно не спілкувалися, тож я почав нову розмову. Попередня — в /history.

# Above the /history list; ▶ marks the current conversation.
conversation-list-heading = Ваші розмови (▶ — поточна):

# /history when there is no conversation at all.
conversation-list-empty = Розмов поки немає. Просто напишіть мені, щоб почати.

# The title of a conversation that has none.
conversation-untitled = (без назви)

# Button: continue conversation number $n of the list.
conversation-open-button = ▶ Відкрити { $n }

# Button: rename conversation number $n.
conversation-rename-button = ✏️ { $n }

# Button: delete conversation number $n (asks first).
conversation-delete-button = 🗑 { $n }

# Button: yes, delete conversation number $n.
conversation-confirm-delete-button = Так, видалити { $n }

# Button: do not delete after all.
conversation-keep-button = Залишити

# Above the list while a deletion waits for its confirmation.
conversation-confirm-delete = Видалити «{ $title }» назавжди? Це не можна скасувати.

# Above the list after a conversation was opened again.
conversation-opened = Продовжуємо «{ $title }» — просто пишіть.

# Above the list after a conversation was deleted.
conversation-deleted = «{ $title }» видалено.

# Above the list when the pressed conversation is no longer there.
conversation-gone = Цієї розмови вже немає.

# Alert on the rename button: how to rename line $n.
conversation-rename-hint = Щоб перейменувати, надішліть /rename { $n } і нову назву.

# After /rename.
conversation-renamed = Нова назва: «{ $title }».

# /rename without a title.
conversation-rename-usage = Надішліть /rename і нову назву поточної розмови або /rename <n> <назва> для рядка n у /history.

# /rename names a line or a conversation that is not there.
conversation-rename-missing = У /history немає такої розмови.

# /retry with no reply to write again.
conversation-retry-nothing = У цій розмові ще немає моєї відповіді, яку можна переписати.

# /export (or /export all) with nothing said yet.
conversation-export-nothing = Поки нічого експортувати.

# The caption on an exported conversation's file.
conversation-export-caption =
    «{ $title }»: { $n ->
        [one] { $n } повідомлення
        [few] { $n } повідомлення
       *[other] { $n } повідомлень
    }.

# Added to an export's caption when its oldest messages were left out.
conversation-export-cut-note = Найстаріші повідомлення не вмістилися.

# After /export all: how many files were sent.
conversation-export-all-done =
    { $n ->
        [one] Експортовано { $n } розмову.
        [few] Експортовано { $n } розмови, по файлу на кожну.
       *[other] Експортовано { $n } розмов, по файлу на кожну.
    }

# The first line of an exported file.
conversation-export-heading = # { $title }

# The line under an export's heading.
conversation-export-dated = Почато { $started }, експортовано { $date } (UTC).

# Who spoke, in an export: the user.
conversation-export-you = Ви

# Who spoke, in an export: the bot.
conversation-export-bot = Бот

# In an export, before the notes the bot folded older turns into.
conversation-export-notes = Мої нотатки про розмову до цього місця

# In an export, where older messages were left out.
conversation-export-cut = (старіші повідомлення не вмістилися)

# The private command menu.
cmd-rename = Перейменувати розмову
cmd-retry = Написати мою останню відповідь заново
