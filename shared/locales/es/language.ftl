# The language's own name, as the /language menu shows it.
language-name = Español
# Heads the /language menu; $current is a language's own name or language-auto.
language-menu = ¿En qué idioma escribo mis propios mensajes? Ahora: { $current }. (Te respondo en el idioma en que me escribas).
language-auto = Automático (el de tu Telegram)
# Said in the language just chosen.
language-set = Vale, a partir de ahora escribo en español.
language-auto-set = Vale, seguiré el idioma de tu Telegram.
# $codes: the codes the bot has, comma-separated.
language-unknown = No tengo el idioma «{ $given }». Elige uno de: { $codes }, o auto.
cmd-language = Idioma de mis mensajes
