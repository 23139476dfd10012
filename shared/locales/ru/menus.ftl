# Telegram's command menus (at most 256 characters each) and the words on buttons.

cmd-start = Поздороваться
cmd-help = Что я умею
cmd-persona = Выбрать, кем я буду для тебя
cmd-settings = Голосовые ответы, расшифровки, модель
cmd-voice = Голосовые ответы: /voice on или off
cmd-cancel = Остановить ответ, который я пишу
cmd-new-style = Изучить, как ты пишешь
cmd-style = Показать стиль или включить подражание
cmd-reset = Начать новый разговор
cmd-history = Твои последние разговоры
cmd-export = Этот разговор файлом
cmd-usage = Сколько ты использовал
cmd-subscribe = Проверить доступ
cmd-group-persona = Выбрать, кем я буду в этой группе (админы)
cmd-group-settings = Голосовые ответы, расшифровки, модель (админы)

join-channel-button = Вступить в канал
voice-replies-button = 🎙 Голосовые ответы: { $state } (нажми — { $next })
transcripts-button = 📝 Расшифровки: { $state } (нажми — { $next })
persona-parent = Родитель
persona-spouse = Супруг(а)
persona-child = Ребёнок
persona-sibling = Брат/сестра
persona-friend = Друг
persona-colleague = Коллега
persona-other = Другое (опиши)
