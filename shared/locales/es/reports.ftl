# /usage, /stats, /grant and limits.

stats-today = Hoy: { $users ->
        [one] { $users } usuario nuevo
       *[other] { $users } usuarios nuevos
    }, { $conversations ->
        [one] { $conversations } conversación
       *[other] { $conversations } conversaciones
    }, { $messages ->
        [one] { $messages } mensaje
       *[other] { $messages } mensajes
    }, { $tokens ->
        [one] { $tokens } token
       *[other] { $tokens } tokens
    }, { $cost }
stats-total = En total: { $users ->
        [one] { $users } usuario
       *[other] { $users } usuarios
    }, { $conversations ->
        [one] { $conversations } conversación
       *[other] { $conversations } conversaciones
    }, { $messages ->
        [one] { $messages } mensaje
       *[other] { $messages } mensajes
    }, { $tokens ->
        [one] { $tokens } token
       *[other] { $tokens } tokens
    }, { $cost }
admins-only = Este comando es para los administradores del bot.
limit-reached-day = Has alcanzado tu límite diario, así que ahora no puedo responder. Se reinicia el { $date } a las 00:00 UTC.
limit-reached-month = Has alcanzado tu límite mensual, así que ahora no puedo responder. Se reinicia el { $date } a las 00:00 UTC.
granted = Se han concedido { $amount ->
        [one] { $amount } token
       *[other] { $amount } tokens
    } de crédito a { $user }; su saldo es ahora { $balance }.
took-back = Se han retirado { $amount ->
        [one] { $amount } token
       *[other] { $amount } tokens
    } de crédito a { $user }; su saldo es ahora { $balance }.
grant-usage = Uso: /grant <user_id> <tokens>, p. ej. /grant 123456789 50000
grant-bad-user = { $given } no es un id de usuario. { grant-usage }
grant-bad-amount = { $given } no es una cantidad de tokens. { grant-usage }
