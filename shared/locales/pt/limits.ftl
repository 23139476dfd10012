# Said once per minute when someone writes faster than the rate limit allows; the messages over it are not answered.
limits-too-fast = Você está escrevendo mais rápido do que consigo responder: no máximo { $limit } { $limit ->
        [one] mensagem
       *[other] mensagens
    } por minuto. Vou pular as que passarem disso; escreva de novo daqui a { $seconds } { $seconds ->
        [one] segundo
       *[other] segundos
    }.
# /usage: what was used in one period ($period is today, month or total); $cost is formatted like $0.0012.
limits-usage-line = { $period ->
        [today] Hoje
        [month] Este mês
       *[total] No total
    }: { $messages } { $messages ->
        [one] mensagem
       *[other] mensagens
    }, { $tokens } { $tokens ->
        [one] token
       *[other] tokens
    }, { $cost }
# /usage: when the model server did not report some counts and the bot estimated them.
limits-usage-estimated = Desses tokens, { $tokens } são uma estimativa minha: o servidor não os informou.
# /usage: a token limit that applies to the user, and what is left of it.
limits-left-tokens = { $period ->
        [day] Limite de hoje
       *[month] Limite deste mês
    }: { $limit } tokens, restam { $left }
# /usage: a cost limit that applies to the user, and what is left of it ($limit and $left formatted like $0.50).
limits-left-cost = { $period ->
        [day] Limite de gastos de hoje
       *[month] Limite de gastos deste mês
    }: { $limit }, restam { $left }
# /usage: the user's credits, spent once a limit is reached.
limits-credits = Créditos: { $credits } { $credits ->
        [one] token
       *[other] tokens
    } (usados quando um limite é atingido)
# /usage: when limits reset.
limits-resets = Os limites diários recomeçam às 00:00 UTC; os mensais, no dia 1º.
