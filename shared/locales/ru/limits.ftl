# Said once per minute when someone writes faster than the rate limit allows; the messages over it are not answered.
limits-too-fast = Вы пишете быстрее, чем я успеваю отвечать: не больше { $limit } { $limit ->
        [one] сообщения
       *[other] сообщений
    } в минуту. Лишние я пропущу; напишите снова через { $seconds } { $seconds ->
        [one] секунду
        [few] секунды
       *[other] секунд
    }.
# /usage: what was used in one period ($period is today, month or total); $cost is formatted like $0.0012.
limits-usage-line = { $period ->
        [today] Сегодня
        [month] В этом месяце
       *[total] За всё время
    }: { $messages } { $messages ->
        [one] сообщение
        [few] сообщения
       *[other] сообщений
    }, { $tokens } { $tokens ->
        [one] токен
        [few] токена
       *[other] токенов
    }, { $cost }
# /usage: when the model server did not report some counts and the bot estimated them.
limits-usage-estimated = Из этих токенов { $tokens } — моя оценка: сервер их не сообщил.
# /usage: a token limit that applies to the user, and what is left of it.
limits-left-tokens = { $period ->
        [day] Лимит на сегодня
       *[month] Лимит на месяц
    }: { $limit } токенов, осталось { $left }
# /usage: a cost limit that applies to the user, and what is left of it ($limit and $left formatted like $0.50).
limits-left-cost = { $period ->
        [day] Лимит расходов на сегодня
       *[month] Лимит расходов на месяц
    }: { $limit }, осталось { $left }
# /usage: the user's credits, spent once a limit is reached.
limits-credits = Кредиты: { $credits } { $credits ->
        [one] токен
        [few] токена
       *[other] токенов
    } (расходуются, когда лимит исчерпан)
# /usage: when limits reset.
limits-resets = Дневные лимиты обновляются в 00:00 UTC, месячные — 1-го числа.
