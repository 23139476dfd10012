# The language's own name, as the /language menu shows it.
language-name = English
# Heads the /language menu; $current is a language's own name or language-auto.
language-menu = Which language should I write my own messages in? Now: { $current }. (I answer you in whatever language you write in.)
language-auto = Automatic (your Telegram app's)
# Said in the language just chosen.
language-set = Okay, I'll write in English from now on.
language-auto-set = Okay, I'll follow your Telegram app's language.
# $codes: the codes the bot has, comma-separated.
language-unknown = I don't have the language “{ $given }”. Choose one of: { $codes }, or auto.
cmd-language = Language of my messages
