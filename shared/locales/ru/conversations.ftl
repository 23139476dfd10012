# Conversations: /history and its buttons, /rename, /retry, /export, the idle timeout.

# Before the answer to a message that came after a long silence.
conversation-idle-fresh-start = Давно не общались, поэтому я начал новый разговор. Прошлый — в /history.

# Above the /history list; ▶ marks the current conversation.
conversation-list-heading = Ваши разговоры (▶ — текущий):

# /history when there is no conversation at all.
conversation-list-empty = Разговоров пока нет. Просто напишите мне, чтобы начать.

# The title of a conversation that has none.
conversation-untitled = (без названия)

# Button: continue conversation number $n of the list.
conversation-open-button = ▶ Открыть { $n }

# Button: rename conversation number $n.
conversation-rename-button = ✏️ { $n }

# Button: delete conversation number $n (asks first).
conversation-delete-button = 🗑 { $n }

# Button: yes, delete conversation number $n.
conversation-confirm-delete-button = Да, удалить { $n }

# Button: do not delete after all.
conversation-keep-button = Оставить

# Above the list while a deletion waits for its confirmation.
conversation-confirm-delete = Удалить «{ $title }» навсегда? Это нельзя отменить.

# Above the list after a conversation was opened again.
conversation-opened = Продолжаем «{ $title }» — просто пишите.

# Above the list after a conversation was deleted.
conversation-deleted = «{ $title }» удалён.

# Above the list when the pressed conversation is no longer there.
conversation-gone = Этого разговора уже нет.

# Alert on the rename button: how to rename line $n.
conversation-rename-hint = Чтобы переименовать, отправьте /rename { $n } и новое название.

# After /rename.
conversation-renamed = Новое название: «{ $title }».

# /rename without a title.
conversation-rename-usage = Отправьте /rename и новое название текущего разговора или /rename <n> <название> для строки n в /history.

# /rename names a line or a conversation that is not there.
conversation-rename-missing = В /history нет такого разговора.

# /retry with no reply to write again.
conversation-retry-nothing = В этом разговоре пока нет моего ответа, который можно переписать.

# /export (or /export all) with nothing said yet.
conversation-export-nothing = Пока нечего экспортировать.

# The caption on an exported conversation's file.
conversation-export-caption =
    «{ $title }»: { $n ->
        [one] { $n } сообщение
        [few] { $n } сообщения
       *[other] { $n } сообщений
    }.

# Added to an export's caption when its oldest messages were left out.
conversation-export-cut-note = Самые старые сообщения не поместились.

# After /export all: how many files were sent.
conversation-export-all-done =
    { $n ->
        [one] Экспортирован { $n } разговор.
        [few] Экспортировано { $n } разговора, по файлу на каждый.
       *[other] Экспортировано { $n } разговоров, по файлу на каждый.
    }

# The first line of an exported file.
conversation-export-heading = # { $title }

# The line under an export's heading.
conversation-export-dated = Начат { $started }, экспортирован { $date } (UTC).

# Who spoke, in an export: the user.
conversation-export-you = Вы

# Who spoke, in an export: the bot.
conversation-export-bot = Бот

# In an export, before the notes the bot folded older turns into.
conversation-export-notes = Мои заметки о разговоре до этого места

# In an export, where older messages were left out.
conversation-export-cut = (более старые сообщения не поместились)

# The private command menu.
cmd-rename = Переименовать разговор
cmd-retry = Написать мой последний ответ заново
