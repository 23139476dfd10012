# Said once per minute when someone writes faster than the rate limit allows; the messages over it are not answered.
limits-too-fast = Escribes más rápido de lo que puedo responder: como máximo { $limit } { $limit ->
        [one] mensaje
       *[other] mensajes
    } por minuto. Me saltaré los que pasen de ahí; vuelve a escribir dentro de { $seconds } { $seconds ->
        [one] segundo
       *[other] segundos
    }.
# /usage: what was used in one period ($period is today, month or total); $cost is formatted like $0.0012.
limits-usage-line = { $period ->
        [today] Hoy
        [month] Este mes
       *[total] En total
    }: { $messages } { $messages ->
        [one] mensaje
       *[other] mensajes
    }, { $tokens } { $tokens ->
        [one] token
       *[other] tokens
    }, { $cost }
# /usage: when the model server did not report some counts and the bot estimated them.
limits-usage-estimated = De esos tokens, { $tokens } son una estimación mía: el servidor no los informó.
# /usage: a token limit that applies to the user, and what is left of it.
limits-left-tokens = { $period ->
        [day] Límite de hoy
       *[month] Límite de este mes
    }: { $limit } tokens, quedan { $left }
# /usage: a cost limit that applies to the user, and what is left of it ($limit and $left formatted like $0.50).
limits-left-cost = { $period ->
        [day] Límite de gasto de hoy
       *[month] Límite de gasto de este mes
    }: { $limit }, quedan { $left }
# /usage: the user's credits, spent once a limit is reached.
limits-credits = Créditos: { $credits } { $credits ->
        [one] token
       *[other] tokens
    } (se usan al alcanzar un límite)
# /usage: when limits reset.
limits-resets = Los límites diarios se renuevan a las 00:00 UTC; los mensuales, el día 1.
