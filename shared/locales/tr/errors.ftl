# When things go wrong: one clear sentence each, and no promise that is not kept.

message-too-long = Bu mesaj bir kerede okuyamayacağım kadar uzun (yaklaşık { $tokens } token; en fazla yaklaşık { $budget } alabiliyorum). Bölebilir misin?
file-too-large-size = Bu dosya benim için çok büyük ({ $size } MB): Telegram botların en fazla 20 MB'lık dosya indirmesine izin veriyor. Daha kısa bir sesli mesaj gönderebilir ya da yazabilir misin?
file-too-large = Bu dosya benim için çok büyük: Telegram botların en fazla 20 MB'lık dosya indirmesine izin veriyor. Daha kısa bir sesli mesaj gönderebilir ya da yazabilir misin?
no-words-heard = Bu sesli mesajda hiçbir kelime seçemedim.
media-failed = Üzgünüm, bu dosyayı açamadım. Yeniden gönderebilir misin?
still-trying = Şu an dil modelime ulaşmakta zorlanıyorum. Birkaç dakika daha denemeye devam edeceğim ve her durumda sana yazacağım.
draft-retrying = ⏳ Model yanıt vermedi, yeniden deniyorum…
draft-remembering = 📝 Şimdiye kadarki sohbetimizi gözden geçiriyorum…
cut-short = ✂ Bu, bana izin verilen süreden uzun sürdü, bu yüzden yanıtım burada bitiyor. “Devam et” dersen sürdürürüm.
no-vision = Bu model fotoğrafları göremiyor, bu yüzden bu fotoğrafta ne olduğunu söyleyemem. Bana kelimelerle anlat, seve seve konuşalım.
no-transcription = Burada sesli mesajları dinleyemiyorum: kullandığım yapay zekâ sunucusunda konuşma tanıma yok. Yazabilir misin?
voice-unreadable = Üzgünüm, bu kaydı anlayamadım. Yeniden gönderebilir ya da yazabilir misin?
no-speech = (Bu sunucuda sesli mesaj kaydedemiyorum, bu yüzden yanıtlarım metin olarak kalıyor.)
speech-failed = (Bu yanıt için sesli mesaj kaydedemedim.)
conversation-restored = (Model tarafında sohbetimizin ipini kaybettim, bu yüzden hatırladıklarımla yeni bir sohbet başlattım.)

gave-up-quota = Üzgünüm, şu an yanıt veremiyorum: botun yapay zekâ hesabında kredi kalmadı. Bunu botun işletmecisi düzeltmeli; lütfen daha sonra yeniden dene.
gave-up-unauthorized = Üzgünüm, şu an yanıt veremiyorum: yapay zekâ hizmeti botun anahtarını reddetti. Bunu botun işletmecisi düzeltmeli; lütfen daha sonra yeniden dene.
gave-up-model-not-found = Üzgünüm, şu an yanıt veremiyorum: botun ayarlandığı yapay zekâ modeli kullanılamıyor. Bunu botun işletmecisi düzeltmeli; lütfen daha sonra yeniden dene.
gave-up-endpoint-missing = Üzgünüm, şu an yanıt veremiyorum: yapay zekâ sunucusu ihtiyacım olanı sunmuyor. Bunu botun işletmecisi düzeltmeli; lütfen daha sonra yeniden dene.
gave-up-content-filter = Buna yanıt veremem. Başka bir şeyden konuşalım mı?
gave-up-context-overflow = Bu, önceki sohbetimizi özetledikten sonra bile bir kerede okuyabileceğimden fazla. Bölebilir misin?
gave-up-bad-request = Üzgünüm, yapay zekâ modeli bu mesajı işleyemedi. Başka türlü ifade edebilir misin?
gave-up-empty = Üzgünüm, model yanıtsız döndü. Başka türlü ifade edebilir misin?
gave-up-model-retrying = Üzgünüm, dil modelimden hâlâ yanıt alamadım, bu yüzden şimdilik denemeyi bıraktım. Lütfen mesajını biraz sonra yeniden gönder.
gave-up-internal = Üzgünüm, benim tarafımda bir şeyler ters gitti ve bu mesaja yanıt veremiyorum. Lütfen daha sonra yeniden dene.
