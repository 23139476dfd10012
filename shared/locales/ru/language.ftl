# The language's own name, as the /language menu shows it.
language-name = Русский
# Heads the /language menu; $current is a language's own name or language-auto.
language-menu = На каком языке мне писать свои сообщения? Сейчас: { $current }. (Отвечаю я на том языке, на котором пишешь ты.)
language-auto = Автоматически (как в Telegram)
# Said in the language just chosen.
language-set = Хорошо, теперь пишу по-русски.
language-auto-set = Хорошо, буду следовать языку твоего Telegram.
# $codes: the codes the bot has, comma-separated.
language-unknown = Языка «{ $given }» у меня нет. Выбери один из: { $codes } или auto.
cmd-language = Язык моих сообщений
