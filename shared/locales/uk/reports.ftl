# /usage, /stats, /grant and limits.

stats-today = Сьогодні: { $users ->
        [one] { $users } новий користувач
        [few] { $users } нові користувачі
       *[many] { $users } нових користувачів
    }, { $conversations ->
        [one] { $conversations } розмова
        [few] { $conversations } розмови
       *[many] { $conversations } розмов
    }, { $messages ->
        [one] { $messages } повідомлення
        [few] { $messages } повідомлення
       *[many] { $messages } повідомлень
    }, { $tokens ->
        [one] { $tokens } токен
        [few] { $tokens } токени
       *[many] { $tokens } токенів
    }, { $cost }
stats-total = Загалом: { $users ->
        [one] { $users } користувач
        [few] { $users } користувачі
       *[many] { $users } користувачів
    }, { $conversations ->
        [one] { $conversations } розмова
        [few] { $conversations } розмови
       *[many] { $conversations } розмов
    }, { $messages ->
        [one] { $messages } повідомлення
        [few] { $messages } повідомлення
       *[many] { $messages } повідомлень
    }, { $tokens ->
        [one] { $tokens } токен
        [few] { $tokens } токени
       *[many] { $tokens } токенів
    }, { $cost }
admins-only = Ця команда — для адміністраторів бота.
limit-reached-day = Ти досяг денного ліміту, тож зараз я не можу відповісти. Він скинеться { $date } о 00:00 UTC.
limit-reached-month = Ти досяг місячного ліміту, тож зараз я не можу відповісти. Він скинеться { $date } о 00:00 UTC.
granted = Нараховано { $amount ->
        [one] { $amount } токен
        [few] { $amount } токени
       *[many] { $amount } токенів
    } кредиту користувачу { $user }; його баланс тепер { $balance }.
took-back = Списано { $amount ->
        [one] { $amount } токен
        [few] { $amount } токени
       *[many] { $amount } токенів
    } кредиту в користувача { $user }; його баланс тепер { $balance }.
grant-usage = Використання: /grant <user_id> <tokens>, наприклад /grant 123456789 50000
grant-bad-user = { $given } — це не id користувача. { grant-usage }
grant-bad-amount = { $given } — це не кількість токенів. { grant-usage }
