# Telegram's command menus (at most 256 characters each) and the words on buttons.

cmd-start = Привітатися
cmd-help = Що я вмію
cmd-persona = Обрати, ким я буду для тебе
cmd-settings = Голосові відповіді, розшифровки, модель
cmd-voice = Голосові відповіді: /voice on або off
cmd-cancel = Зупинити відповідь, яку я пишу
cmd-new-style = Вивчити, як ти пишеш
cmd-style = Показати стиль або ввімкнути наслідування
cmd-reset = Почати нову розмову
cmd-history = Твої останні розмови
cmd-export = Ця розмова файлом
cmd-usage = Скільки ти використав
cmd-subscribe = Перевірити доступ
cmd-group-persona = Обрати, ким я буду в цій групі (адміни)
cmd-group-settings = Голосові відповіді, розшифровки, модель (адміни)

join-channel-button = Приєднатися до каналу
voice-replies-button = 🎙 Голосові відповіді: { $state } (натисни — { $next })
transcripts-button = 📝 Розшифровки: { $state } (натисни — { $next })
persona-parent = Батько/мати
persona-spouse = Чоловік/дружина
persona-child = Дитина
persona-sibling = Брат/сестра
persona-friend = Друг
persona-colleague = Колега
persona-other = Інше (опиши)
