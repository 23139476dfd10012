# Said once per minute when someone writes faster than the rate limit allows; the messages over it are not answered.
limits-too-fast = Yanıt verebileceğimden daha hızlı yazıyorsun: dakikada en fazla { $limit } mesaj. Fazlasını atlayacağım; { $seconds } saniye sonra tekrar yaz.
# /usage: what was used in one period ($period is today, month or total); $cost is formatted like $0.0012.
limits-usage-line = { $period ->
        [today] Bugün
        [month] Bu ay
       *[total] Toplam
    }: { $messages } mesaj, { $tokens } token, { $cost }
# /usage: when the model server did not report some counts and the bot estimated them.
limits-usage-estimated = Bu tokenlerin { $tokens } tanesi benim tahminim: sunucu bunları bildirmedi.
# /usage: a token limit that applies to the user, and what is left of it.
limits-left-tokens = { $period ->
        [day] Bugünkü limit
       *[month] Bu ayki limit
    }: { $limit } token, { $left } kaldı
# /usage: a cost limit that applies to the user, and what is left of it ($limit and $left formatted like $0.50).
limits-left-cost = { $period ->
        [day] Bugünkü harcama limiti
       *[month] Bu ayki harcama limiti
    }: { $limit }, { $left } kaldı
# /usage: the user's credits, spent once a limit is reached.
limits-credits = Kredi: { $credits } token (bir limite ulaşınca kullanılır)
# /usage: when limits reset.
limits-resets = Günlük limitler 00:00 UTC'de, aylık limitler ayın 1'inde yenilenir.
