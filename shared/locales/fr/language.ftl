# The language's own name, as the /language menu shows it.
language-name = Français
# Heads the /language menu; $current is a language's own name or language-auto.
language-menu = Dans quelle langue dois-je écrire mes propres messages ? Actuellement : { $current }. (Je te réponds dans la langue dans laquelle tu écris.)
language-auto = Automatique (celle de ton Telegram)
# Said in the language just chosen.
language-set = D'accord, désormais j'écris en français.
language-auto-set = D'accord, je suivrai la langue de ton Telegram.
# $codes: the codes the bot has, comma-separated.
language-unknown = Je n'ai pas la langue « { $given } ». Choisis parmi : { $codes }, ou auto.
cmd-language = Langue de mes messages
