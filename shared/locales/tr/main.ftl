# The bot's own words (everything not written by the model). Commands stay in English.
# Turkish nouns stay singular after a number, so counts need no plural forms here.

start = Merhaba! Ben senin sohbet arkadaşınım. Bir arkadaşına yazar gibi bana yazman yeterli.

    /help neler yapabildiğimi gösterir.
reset-done = Tamam, temiz bir sayfa. Önceki sohbetimizi bir kenara koydum.
unsupported-message = Metin, sesli mesaj ve fotoğraf okuyabiliyorum ama bu tür mesajları henüz okuyamıyorum.
message-too-big = Üzgünüm, bu mesaj benim için fazla uzun. Daha kısa parçalar halinde gönderebilir misin?
refused-channel = Bu bot kanalımızın üyeleri için. Kanala katıl, sonra mesajını yeniden gönder.
refused-private = Üzgünüm, bu bot özel.
unknown-command = /{ $name } komutunu bilmiyorum. /help komutunu dene.

access-allow-listed = Erişimin var: izin listesindesin.
access-open = Erişimin var: bu bot herkese açık.
access-member = Erişimin var: kanalın { $status ->
        [creator] kurucususun
        [administrator] yöneticisisin
        [restricted] kısıtlanmış bir üyesisin
       *[member] üyesisin
    }.
access-as-group = Erişimin var: bu grup adına yazıyorsun.
access-as-channel = Erişimin var: kanal adına yazıyorsun.
access-banned = Erişimin yok: kanaldan yasaklandın.
access-not-member = Henüz erişimin yok: önce kanala katıl.
access-refused = Bu bota erişimin yok.

persona-menu = Senin için kim olayım? Birini seç ya da /persona custom İsim: açıklama ile birini anlat
persona-other-hint = Kim olmam gerektiğini anlat: /persona custom İsim: açıklama
persona-set = Tamam! Bundan sonra senin için { $who } olacağım.
persona-custom-hint = Kim olmam gerektiğini söyle, örneğin /persona custom Ayşe: doğa yürüyüşlerini seven ve yemeklerimle dalga geçen ablam
persona-too-long = Bu açıklama çok uzun; lütfen { $max } karakterin altında tut.
persona-noun-parent = annen ya da baban
persona-noun-spouse = eşin
persona-noun-child = çocuğun
persona-noun-sibling = kardeşin
persona-noun-friend = arkadaşın
persona-noun-colleague = iş arkadaşın
persona-noun-other = başka biri (anlat)

new-style-done-heading = Bağlam başarıyla güncellendi!
new-style-done = { new-style-done-heading }
    { $samples } mesajından oluşturuldu. Önümüzdeki { $minutes } dakika içinde başka yerlerde yazdığın mesajları bana ilet, onlardan da öğreneyim.
sample-added = Stil örneklerine eklendi: profilin artık { $samples } mesaja dayanıyor.
style-none = Stilini henüz öğrenmedim. Biraz sohbet ettikten sonra /new_style gönder.
style-report-on = Stilin ({ $samples } mesajdan): { $description }
    Taklit açık. Kapatmak için /style off.
style-report-off = Stilin ({ $samples } mesajdan): { $description }
    Taklit kapalı. Açmak için /style on.
style-on = Tamam, yine senin stilinde yazıyorum.
style-off = Tamam, stilini taklit etmeyi bırakıyorum. /style on geri getirir.
style-usage = Kullanım: /style, /style on ya da /style off
new-style-too-few = Stilini öğrenebilmem için birkaç mesajına ihtiyacım var. Benimle biraz sohbet et, sonra /new_style komutunu yeniden dene.
memory-folded = Sohbetimiz uzuyor, bu yüzden eski kısmını notlara özetledim. Önemli olanları hâlâ hatırlıyorum.


stopped = ⏹ Durduruldu. O ana kadar yazdıklarım yukarıda; devam etmek için bir mesaj gönder.
stopped-empty = ⏹ Daha hiçbir şey yazmadan durduruldu.
cancelling = Tamam: bir yanıt yazıyorsam orada durduracağım.

transcript = 🎙 “{ $text }”
voice-on = Tamam, sesli mesajla da yanıt vereceğim. /voice off bunu kapatır.
voice-off = Tamam, bundan sonra yalnızca metin.
voice-usage = Kullanım: /voice on ya da /voice off
settings-menu = Ayarlar. Değiştirmek için dokun:
group-admins-only = Bunu yalnızca bu grubun yöneticileri değiştirebilir.
model-not-allowed = Bu model kullanılamıyor.
setting-on = açık
setting-off = kapalı
setting-voice-replies = Sesli yanıtlar: { $state }
setting-transcripts = Dökümleri göster: { $state }
setting-model = Model: { $model }
setting-model-default = varsayılan
