# The bot's own words (everything not written by the model). Commands stay in English.

start = Привіт! Я твій співрозмовник. Просто пиши мені, як написав би другові.

    /help покаже, що я вмію.
reset-done = Гаразд, почнімо з чистого аркуша. Попередню розмову я відклав убік.
unsupported-message = Я розумію текст, голосові та фото, але такі повідомлення поки не вмію читати.
message-too-big = Вибач, це повідомлення задовге для мене. Можеш надіслати його коротшими частинами?
refused-channel = Цей бот — для учасників нашого каналу. Приєднайся до нього й надішли повідомлення ще раз.
refused-private = Вибач, це закритий бот.
unknown-command = Я не знаю команди /{ $name }. Спробуй /help.

access-allow-listed = Доступ є: ти в списку дозволених.
access-open = Доступ є: цей бот відкритий для всіх.
access-member = Доступ є: ти { $status ->
        [creator] творець
        [administrator] адміністратор
        [restricted] учасник з обмеженнями
       *[member] учасник
    } каналу.
access-as-group = Доступ є: ти пишеш від імені цієї групи.
access-as-channel = Доступ є: ти пишеш від імені каналу.
access-banned = Доступу немає: тебе заблоковано в каналі.
access-not-member = Доступу поки немає: спершу приєднайся до каналу.
access-refused = У тебе немає доступу до цього бота.

persona-menu = Ким мені бути для тебе? Обери або опиши когось сам: /persona custom Ім'я: опис
persona-other-hint = Опиши, ким мені бути: /persona custom Ім'я: опис
persona-set = Гаразд! Відтепер я для тебе — { $who }.
persona-custom-hint = Розкажи, ким мені бути, наприклад: /persona custom Анна: моя старша сестра, обожнює походи й кепкує з моїх кулінарних здібностей
persona-too-long = Опис задовгий: вклади його, будь ласка, в { $max ->
        [one] { $max } символ
        [few] { $max } символи
       *[many] { $max } символів
    }.
persona-noun-parent = батько чи мати
persona-noun-spouse = чоловік чи дружина
persona-noun-child = дитина
persona-noun-sibling = брат чи сестра
persona-noun-friend = друг
persona-noun-colleague = колега
persona-noun-other = хтось інший (опиши)

new-style-done-heading = Контекст успішно оновлено!
new-style-done = { new-style-done-heading }
    Побудовано за { $samples ->
        [one] { $samples } твоїм повідомленням
       *[other] { $samples } твоїми повідомленнями
    }. Перешли мені повідомлення, які ти писав деінде, протягом { $minutes ->
        [one] { $minutes } хвилини
       *[other] { $minutes } хвилин
    } — я повчуся й на них.
sample-added = Додано до зразків стилю: тепер профіль спирається на { $samples ->
        [one] { $samples } повідомлення
        [few] { $samples } повідомлення
       *[many] { $samples } повідомлень
    }.
style-none = Я ще не вивчив твій стиль. Надішли /new_style, коли ми трохи поспілкуємося.
style-report-on = Твій стиль (за { $samples ->
        [one] { $samples } повідомленням
       *[other] { $samples } повідомленнями
    }): { $description }
    Наслідування увімкнено. /style off — вимкнути.
style-report-off = Твій стиль (за { $samples ->
        [one] { $samples } повідомленням
       *[other] { $samples } повідомленнями
    }): { $description }
    Наслідування вимкнено. /style on — увімкнути.
style-on = Гаразд, знову пишу у твоєму стилі.
style-off = Гаразд, більше не наслідую твій стиль. /style on поверне його.
style-usage = Використання: /style, /style on або /style off
new-style-too-few = Щоб вивчити твій стиль, мені потрібно кілька твоїх повідомлень. Поспілкуйся зі мною трохи, а потім знову спробуй /new_style.
memory-folded = Наша розмова стає довгою, тож я стиснув її ранню частину в нотатки. Усе важливе я пам'ятаю.


stopped = ⏹ Зупинено. Те, що я встиг написати, — вище; напиши щось, щоб продовжити.
stopped-empty = ⏹ Зупинено, перш ніж я встиг щось написати.
cancelling = Гаразд: якщо я зараз пишу відповідь, я її зупиню.

transcript = 🎙 «{ $text }»
voice-on = Гаразд, відповідатиму ще й голосовими. /voice off це вимкне.
voice-off = Гаразд, відтепер лише текстом.
voice-usage = Використання: /voice on або /voice off
settings-menu = Налаштування. Натисни, щоб змінити:
group-admins-only = Це можуть змінювати лише адміністратори групи.
model-not-allowed = Ця модель недоступна.
setting-on = увімк.
setting-off = вимк.
setting-voice-replies = Голосові відповіді: { $state }
setting-transcripts = Показувати розшифровки: { $state }
setting-model = Модель: { $model }
setting-model-default = за замовчуванням
