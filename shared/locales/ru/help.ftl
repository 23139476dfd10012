# /help: one line per command, the command itself as the user types it.

help-intro-private = Пиши что угодно, присылай голосовые или фото — я отвечу.
help-intro-group = В этой группе упомяни меня или ответь на моё сообщение — и я отвечу.
help-reset = /reset – начать новый разговор
help-new-style = /new_style – изучить, как ты пишешь, по твоим недавним сообщениям
help-style = /style – показать твой стиль; /style on или off включает и выключает подражание
help-persona = /persona – выбрать, кем я буду для тебя
help-persona-custom = /persona custom Имя: описание – описать кого-то своего
help-usage = /usage – сколько ты использовал сегодня, за месяц и всего
help-history = /history – твои последние разговоры
help-export = /export – этот разговор файлом Markdown
help-settings = /settings – голосовые ответы, расшифровки, модель
help-voice = /voice on или off – отвечать ещё и голосовыми
help-language = /language – язык моих сообщений (/language de, /language auto)
help-cancel = /cancel или /stop – остановить ответ, который я пишу
help-subscribe = /subscribe – проверить доступ
help-stats = /stats – пользователи, разговоры и расходы за сегодня и всего (админы)
help-grant = /grant <user_id> <tokens> – начислить кредит сверх лимитов или списать его отрицательным числом (админы)
help-help = /help – это сообщение
help-group-persona = /persona – выбрать, кем я буду в этой группе (админы)
help-group-persona-custom = /persona custom Имя: описание – описать кого-то своего (админы)
help-group-settings = /settings – голосовые ответы, расшифровки, модель этой группы (админы)
help-group-voice = /voice on или off – отвечать ещё и голосовыми (админы)
