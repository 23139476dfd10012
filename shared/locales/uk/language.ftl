# The language's own name, as the /language menu shows it.
language-name = Українська
# Heads the /language menu; $current is a language's own name or language-auto.
language-menu = Якою мовою мені писати свої повідомлення? Зараз: { $current }. (Відповідаю я тією мовою, якою пишеш ти.)
language-auto = Автоматично (як у Telegram)
# Said in the language just chosen.
language-set = Гаразд, відтепер пишу українською.
language-auto-set = Гаразд, дотримуватимусь мови твого Telegram.
# $codes: the codes the bot has, comma-separated.
language-unknown = Мови «{ $given }» у мене немає. Обери одну з: { $codes } або auto.
cmd-language = Мова моїх повідомлень
