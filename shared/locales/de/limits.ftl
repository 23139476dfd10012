# Said once per minute when someone writes faster than the rate limit allows; the messages over it are not answered.
limits-too-fast = Du schreibst schneller, als ich antworten kann: höchstens { $limit } { $limit ->
        [one] Nachricht
       *[other] Nachrichten
    } pro Minute. Alles darüber lasse ich aus; schreib in { $seconds } { $seconds ->
        [one] Sekunde
       *[other] Sekunden
    } wieder.
# /usage: what was used in one period ($period is today, month or total); $cost is formatted like $0.0012.
limits-usage-line = { $period ->
        [today] Heute
        [month] Diesen Monat
       *[total] Insgesamt
    }: { $messages } { $messages ->
        [one] Nachricht
       *[other] Nachrichten
    }, { $tokens } { $tokens ->
        [one] Token
       *[other] Tokens
    }, { $cost }
# /usage: when the model server did not report some counts and the bot estimated them.
limits-usage-estimated = Davon sind { $tokens } Tokens meine eigene Schätzung: Der Server hat sie nicht gemeldet.
# /usage: a token limit that applies to the user, and what is left of it.
limits-left-tokens = { $period ->
        [day] Limit heute
       *[month] Limit diesen Monat
    }: { $limit } Tokens, { $left } übrig
# /usage: a cost limit that applies to the user, and what is left of it ($limit and $left formatted like $0.50).
limits-left-cost = { $period ->
        [day] Ausgabenlimit heute
       *[month] Ausgabenlimit diesen Monat
    }: { $limit }, { $left } übrig
# /usage: the user's credits, spent once a limit is reached.
limits-credits = Guthaben: { $credits } { $credits ->
        [one] Token
       *[other] Tokens
    } (wird verbraucht, sobald ein Limit erreicht ist)
# /usage: when limits reset.
limits-resets = Tageslimits beginnen um 00:00 UTC neu, Monatslimits am 1.
