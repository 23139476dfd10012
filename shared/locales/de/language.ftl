# The language's own name, as the /language menu shows it.
language-name = Deutsch
# Heads the /language menu; $current is a language's own name or language-auto.
language-menu = In welcher Sprache soll ich meine eigenen Nachrichten schreiben? Jetzt: { $current }. (Antworten tue ich in der Sprache, in der du schreibst.)
language-auto = Automatisch (die deiner Telegram-App)
# Said in the language just chosen.
language-set = Okay, ab jetzt schreibe ich auf Deutsch.
language-auto-set = Okay, ich folge der Sprache deiner Telegram-App.
# $codes: the codes the bot has, comma-separated.
language-unknown = Die Sprache „{ $given }“ habe ich nicht. Wähle eine von: { $codes } oder auto.
cmd-language = Sprache meiner Nachrichten
