# Said once per minute when someone writes faster than the rate limit allows; the messages over it are not answered.
limits-too-fast = Tu écris plus vite que je ne peux répondre : { $limit } { $limit ->
        [one] message
       *[other] messages
    } par minute au maximum. Je laisse de côté ceux en trop ; réécris dans { $seconds } { $seconds ->
        [one] seconde
       *[other] secondes
    }.
# /usage: what was used in one period ($period is today, month or total); $cost is formatted like $0.0012.
limits-usage-line = { $period ->
        [today] Aujourd'hui
        [month] Ce mois-ci
       *[total] Au total
    } : { $messages } { $messages ->
        [one] message
       *[other] messages
    }, { $tokens } { $tokens ->
        [one] jeton
       *[other] jetons
    }, { $cost }
# /usage: when the model server did not report some counts and the bot estimated them.
limits-usage-estimated = Parmi ces jetons, { $tokens } sont mon estimation : le serveur ne les a pas indiqués.
# /usage: a token limit that applies to the user, and what is left of it.
limits-left-tokens = { $period ->
        [day] Limite du jour
       *[month] Limite du mois
    } : { $limit } jetons, il en reste { $left }
# /usage: a cost limit that applies to the user, and what is left of it ($limit and $left formatted like $0.50).
limits-left-cost = { $period ->
        [day] Plafond de dépenses du jour
       *[month] Plafond de dépenses du mois
    } : { $limit }, il reste { $left }
# /usage: the user's credits, spent once a limit is reached.
limits-credits = Crédits : { $credits } { $credits ->
        [one] jeton
       *[other] jetons
    } (utilisés une fois une limite atteinte)
# /usage: when limits reset.
limits-resets = Les limites quotidiennes repartent à 00:00 UTC, les mensuelles le 1er du mois.
