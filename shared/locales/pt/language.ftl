# The language's own name, as the /language menu shows it.
language-name = Português
# Heads the /language menu; $current is a language's own name or language-auto.
language-menu = Em que idioma devo escrever minhas próprias mensagens? Agora: { $current }. (Eu respondo no idioma em que você escrever.)
language-auto = Automático (o do seu Telegram)
# Said in the language just chosen.
language-set = Certo, a partir de agora escrevo em português.
language-auto-set = Certo, vou seguir o idioma do seu Telegram.
# $codes: the codes the bot has, comma-separated.
language-unknown = Não tenho o idioma “{ $given }”. Escolha um de: { $codes }, ou auto.
cmd-language = Idioma das minhas mensagens
