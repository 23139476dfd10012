# /help: one line per command, the command itself as the user types it.

help-intro-private = Ne istersen yaz, sesli mesaj ya da fotoğraf gönder, ben de cevap vereyim.
help-intro-group = Bu grupta beni etiketle ya da mesajlarımdan birine yanıt ver, ben de cevap vereyim.
help-reset = /reset – yeni bir sohbet başlat
help-new-style = /new_style – son mesajlarından nasıl yazdığını öğren
help-style = /style – stil profilini göster; /style on ya da off taklidi açar veya kapatır
help-persona = /persona – senin için kim olacağımı seç
help-persona-custom = /persona custom İsim: açıklama – kendi tarif ettiğin birini anlat
help-usage = /usage – bugün, bu ay ve toplamda ne kadar kullandığın
help-history = /history – son sohbetlerin
help-export = /export – bu sohbet bir Markdown dosyası olarak
help-settings = /settings – sesli yanıtlar, dökümler, model
help-voice = /voice on ya da off – sesli mesajla da yanıt ver
help-language = /language – kendi mesajlarımın dili (/language de, /language auto)
help-cancel = /cancel ya da /stop – yazmakta olduğum yanıtı durdur
help-subscribe = /subscribe – erişimini kontrol et
help-stats = /stats – bugün ve toplamda kullanıcılar, sohbetler ve maliyet (yöneticiler)
help-grant = /grant <user_id> <tokens> – sınırların ötesinde kredi ver ya da negatif miktarla geri al (yöneticiler)
help-help = /help – bu mesaj
help-group-persona = /persona – bu grupta kim olacağımı seç (yöneticiler)
help-group-persona-custom = /persona custom İsim: açıklama – kendi tarif ettiğin birini anlat (yöneticiler)
help-group-settings = /settings – bu grubun sesli yanıtları, dökümleri, modeli (yöneticiler)
help-group-voice = /voice on ya da off – sesli mesajla da yanıt ver (yöneticiler)
