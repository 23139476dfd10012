# /usage, /stats, /grant and limits.

stats-today = Сегодня: { $users ->
        [one] { $users } новый пользователь
        [few] { $users } новых пользователя
       *[many] { $users } новых пользователей
    }, { $conversations ->
        [one] { $conversations } разговор
        [few] { $conversations } разговора
       *[many] { $conversations } разговоров
    }, { $messages ->
        [one] { $messages } сообщение
        [few] { $messages } сообщения
       *[many] { $messages } сообщений
    }, { $tokens ->
        [one] { $tokens } токен
        [few] { $tokens } токена
       *[many] { $tokens } токенов
    }, { $cost }
stats-total = Всего: { $users ->
        [one] { $users } пользователь
        [few] { $users } пользователя
       *[many] { $users } пользователей
    }, { $conversations ->
        [one] { $conversations } разговор
        [few] { $conversations } разговора
       *[many] { $conversations } разговоров
    }, { $messages ->
        [one] { $messages } сообщение
        [few] { $messages } сообщения
       *[many] { $messages } сообщений
    }, { $tokens ->
        [one] { $tokens } токен
        [few] { $tokens } токена
       *[many] { $tokens } токенов
    }, { $cost }
admins-only = Эта команда — для администраторов бота.
limit-reached-day = Ты достиг дневного лимита, поэтому сейчас я не могу ответить. Он сбросится { $date } в 00:00 UTC.
limit-reached-month = Ты достиг месячного лимита, поэтому сейчас я не могу ответить. Он сбросится { $date } в 00:00 UTC.
granted = Начислено { $amount ->
        [one] { $amount } токен
        [few] { $amount } токена
       *[many] { $amount } токенов
    } кредита пользователю { $user }; его баланс теперь { $balance }.
took-back = Списано { $amount ->
        [one] { $amount } токен
        [few] { $amount } токена
       *[many] { $amount } токенов
    } кредита у пользователя { $user }; его баланс теперь { $balance }.
grant-usage = Использование: /grant <user_id> <tokens>, например /grant 123456789 50000
grant-bad-user = { $given } — это не id пользователя. { grant-usage }
grant-bad-amount = { $given } — это не количество токенов. { grant-usage }
