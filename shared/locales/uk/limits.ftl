# Said once per minute when someone writes faster than the rate limit allows; the messages over it are not answered.
limits-too-fast = Ви пишете швидше, ніж я встигаю відповідати: не більше { $limit } { $limit ->
        [one] повідомлення
       *[other] повідомлень
    } на хвилину. Зайві я пропущу; напишіть знову через { $seconds } { $seconds ->
        [one] секунду
        [few] секунди
       *[other] секунд
    }.
# /usage: what was used in one period ($period is today, month or total); $cost is formatted like $0.0012.
limits-usage-line = { $period ->
        [today] Сьогодні
        [month] Цього місяця
       *[total] За весь час
    }: { $messages } { $messages ->
        [one] повідомлення
        [few] повідомлення
       *[other] повідомлень
    }, { $tokens } { $tokens ->
        [one] токен
        [few] токени
       *[other] токенів
    }, { $cost }
# /usage: when the model server did not report some counts and the bot estimated them.
limits-usage-estimated = З цих токенів { $tokens } — моя оцінка: сервер їх не повідомив.
# /usage: a token limit that applies to the user, and what is left of it.
limits-left-tokens = { $period ->
        [day] Ліміт на сьогодні
       *[month] Ліміт на місяць
    }: { $limit } токенів, залишилось { $left }
# /usage: a cost limit that applies to the user, and what is left of it ($limit and $left formatted like $0.50).
limits-left-cost = { $period ->
        [day] Ліміт витрат на сьогодні
       *[month] Ліміт витрат на місяць
    }: { $limit }, залишилось { $left }
# /usage: the user's credits, spent once a limit is reached.
limits-credits = Кредити: { $credits } { $credits ->
        [one] токен
        [few] токени
       *[other] токенів
    } (витрачаються, коли ліміт вичерпано)
# /usage: when limits reset.
limits-resets = Денні ліміти оновлюються о 00:00 UTC, місячні — 1-го числа.
