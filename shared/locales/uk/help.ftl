# /help: one line per command, the command itself as the user types it.

help-intro-private = Пиши що завгодно, надсилай голосові чи фото — я відповім.
help-intro-group = У цій групі згадай мене або відповідай на моє повідомлення — і я відповім.
help-reset = /reset – почати нову розмову
help-new-style = /new_style – вивчити, як ти пишеш, за твоїми нещодавніми повідомленнями
help-style = /style – показати твій стиль; /style on або off вмикає і вимикає наслідування
help-persona = /persona – обрати, ким я буду для тебе
help-persona-custom = /persona custom Ім'я: опис – описати когось свого
help-usage = /usage – скільки ти використав сьогодні, за місяць і загалом
help-history = /history – твої останні розмови
help-export = /export – ця розмова файлом Markdown
help-settings = /settings – голосові відповіді, розшифровки, модель
help-voice = /voice on або off – відповідати ще й голосовими
help-language = /language – мова моїх повідомлень (/language de, /language auto)
help-cancel = /cancel або /stop – зупинити відповідь, яку я пишу
help-subscribe = /subscribe – перевірити доступ
help-stats = /stats – користувачі, розмови й витрати за сьогодні та загалом (адміни)
help-grant = /grant <user_id> <tokens> – нарахувати кредит понад ліміти або списати його від'ємним числом (адміни)
help-help = /help – це повідомлення
help-group-persona = /persona – обрати, ким я буду в цій групі (адміни)
help-group-persona-custom = /persona custom Ім'я: опис – описати когось свого (адміни)
help-group-settings = /settings – голосові відповіді, розшифровки, модель цієї групи (адміни)
help-group-voice = /voice on або off – відповідати ще й голосовими (адміни)
