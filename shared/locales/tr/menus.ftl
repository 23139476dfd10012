# Telegram's command menus (at most 256 characters each) and the words on buttons.

cmd-start = Merhaba de
cmd-help = Neler yapabilirim
cmd-persona = Senin için kim olacağımı seç
cmd-settings = Sesli yanıtlar, dökümler, model
cmd-voice = Sesli yanıtlar: /voice on ya da off
cmd-cancel = Yazdığım yanıtı durdur
cmd-new-style = Nasıl yazdığını öğren
cmd-style = Stili göster ya da taklidi aç/kapat
cmd-reset = Yeni bir sohbet başlat
cmd-history = Son sohbetlerin
cmd-export = Bu sohbet dosya olarak
cmd-usage = Ne kadar kullandın
cmd-subscribe = Erişimini kontrol et
cmd-group-persona = Bu grupta kim olacağımı seç (yöneticiler)
cmd-group-settings = Sesli yanıtlar, dökümler, model (yöneticiler)

join-channel-button = Kanala katıl
voice-replies-button = 🎙 Sesli yanıtlar: { $state } ({ $next } için dokun)
transcripts-button = 📝 Dökümleri göster: { $state } ({ $next } için dokun)
persona-parent = Ebeveyn
persona-spouse = Eş
persona-child = Çocuk
persona-sibling = Kardeş
persona-friend = Arkadaş
persona-colleague = İş arkadaşı
persona-other = Diğer (anlat)
