# /forget: uyarı, düğmeleri ve onun yerini alan rapor.
privacy-forget-warning =
    Bu, hakkında sakladığım her şeyi kalıcı olarak siler:
    • özel sohbetimiz: tüm mesajlar, notlar ve sohbet başlıkları, yapay zekâ sağlayıcısında saklananlar da dahil
    • personan, ayarların, stil profilin ve stil örneklerin
    • kullanım kayıtların, limitlerin ve kredilerin
    Bu geri alınamaz.{ $group ->
        [yes] {" "}Gruplarda söylediklerin grubun sohbetinde kalır, ancak seninle bağlantısı olmaz.
       *[no] {""}
    }
privacy-forget-confirm-button = 🗑 Her şeyi sil
privacy-forget-cancel-button = Verilerimi sakla
privacy-forget-not-yours = Buna yalnızca /forget gönderen kişi yanıt verebilir.
privacy-forget-working = Verilerin siliniyor…
privacy-forget-kept = Tamam, hiçbir şey silinmedi.
privacy-forget-expired = Bu onayın süresi doldu. Verilerinin silinmesini hâlâ istiyorsan /forget komutunu yeniden gönder.
privacy-forget-nothing = Senden silinecek bir şey kalmamıştı.
privacy-forget-done =
    Tamam. Hakkında sakladığım her şeyi sildim:
    • { $messages } mesaj ve { $notes } not
    • { $conversations } sohbet başlığı{ $server ->
        [0] {""}
       *[other] {", ayrıca yapay zekâ sağlayıcısındaki "}{ $server }{" sohbet"}
    }
    • { $samples } stil örneği
    • { $records } diğer kayıt (profil, persona, ayarlar, kullanım, krediler)
    Bana yeniden yazarsan sıfırdan başlarım.

# /forget in the private command menu.
cmd-forget = Hakkında sakladığım her şeyi sil
