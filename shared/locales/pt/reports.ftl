# /usage, /stats, /grant and limits.

stats-today = Hoje: { $users ->
        [one] { $users } usuário novo
       *[other] { $users } usuários novos
    }, { $conversations ->
        [one] { $conversations } conversa
       *[other] { $conversations } conversas
    }, { $messages ->
        [one] { $messages } mensagem
       *[other] { $messages } mensagens
    }, { $tokens ->
        [one] { $tokens } token
       *[other] { $tokens } tokens
    }, { $cost }
stats-total = No total: { $users ->
        [one] { $users } usuário
       *[other] { $users } usuários
    }, { $conversations ->
        [one] { $conversations } conversa
       *[other] { $conversations } conversas
    }, { $messages ->
        [one] { $messages } mensagem
       *[other] { $messages } mensagens
    }, { $tokens ->
        [one] { $tokens } token
       *[other] { $tokens } tokens
    }, { $cost }
admins-only = Este comando é para os administradores do bot.
limit-reached-day = Você atingiu seu limite diário, então não posso responder agora. Ele é reiniciado em { $date } às 00:00 UTC.
limit-reached-month = Você atingiu seu limite mensal, então não posso responder agora. Ele é reiniciado em { $date } às 00:00 UTC.
granted = Concedidos { $amount ->
        [one] { $amount } token
       *[other] { $amount } tokens
    } de crédito a { $user }; o saldo agora é { $balance }.
took-back = Retirados { $amount ->
        [one] { $amount } token
       *[other] { $amount } tokens
    } de crédito de { $user }; o saldo agora é { $balance }.
grant-usage = Uso: /grant <user_id> <tokens>, por exemplo /grant 123456789 50000
grant-bad-user = { $given } não é um id de usuário. { grant-usage }
grant-bad-amount = { $given } não é uma quantidade de tokens. { grant-usage }
