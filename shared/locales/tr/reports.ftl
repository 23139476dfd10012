# /usage, /stats, /grant and limits.

stats-today = Bugün: { $users } yeni kullanıcı, { $conversations } sohbet, { $messages } mesaj, { $tokens } token, { $cost }
stats-total = Toplam: { $users } kullanıcı, { $conversations } sohbet, { $messages } mesaj, { $tokens } token, { $cost }
admins-only = Bu komut botun yöneticileri için.
limit-reached-day = Günlük sınırına ulaştın, bu yüzden şu an yanıt veremiyorum. Sınır { $date } tarihinde 00:00 UTC'de sıfırlanır.
limit-reached-month = Aylık sınırına ulaştın, bu yüzden şu an yanıt veremiyorum. Sınır { $date } tarihinde 00:00 UTC'de sıfırlanır.
granted = { $user } kullanıcısına { $amount } token kredi verildi; bakiyesi artık { $balance }.
took-back = { $user } kullanıcısından { $amount } token kredi geri alındı; bakiyesi artık { $balance }.
grant-usage = Kullanım: /grant <user_id> <tokens>, örneğin /grant 123456789 50000
grant-bad-user = { $given } bir kullanıcı kimliği değil. { grant-usage }
grant-bad-amount = { $given } bir token miktarı değil. { grant-usage }
