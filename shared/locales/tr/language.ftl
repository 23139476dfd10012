# The language's own name, as the /language menu shows it.
language-name = Türkçe
# Heads the /language menu; $current is a language's own name or language-auto.
language-menu = Kendi mesajlarımı hangi dilde yazayım? Şu an: { $current }. (Sana hangi dilde yazarsan o dilde yanıt veririm.)
language-auto = Otomatik (Telegram uygulamanın dili)
# Said in the language just chosen.
language-set = Tamam, bundan sonra Türkçe yazacağım.
language-auto-set = Tamam, Telegram uygulamanın dilini izleyeceğim.
# $codes: the codes the bot has, comma-separated.
language-unknown = “{ $given }” dili bende yok. Şunlardan birini seç: { $codes } ya da auto.
cmd-language = Mesajlarımın dili
