# The bot's own words (everything not written by the model). Commands stay in English.

start = Привет! Я твой собеседник. Просто пиши мне, как написал бы другу.

    /help покажет, что я умею.
reset-done = Хорошо, начнём с чистого листа. Прошлый разговор я отложил в сторону.
unsupported-message = Я понимаю текст, голосовые и фото, но такие сообщения пока не умею читать.
message-too-big = Извини, это сообщение слишком длинное для меня. Можешь прислать его частями покороче?
refused-channel = Этот бот — для участников нашего канала. Вступи в него и отправь сообщение ещё раз.
refused-private = Извини, это закрытый бот.
unknown-command = Я не знаю команду /{ $name }. Попробуй /help.

access-allow-listed = Доступ есть: ты в списке разрешённых.
access-open = Доступ есть: этот бот открыт для всех.
access-member = Доступ есть: ты { $status ->
        [creator] создатель
        [administrator] администратор
        [restricted] участник с ограничениями
       *[member] участник
    } канала.
access-as-group = Доступ есть: ты пишешь от имени этой группы.
access-as-channel = Доступ есть: ты пишешь от имени канала.
access-banned = Доступа нет: ты заблокирован в канале.
access-not-member = Доступа пока нет: сначала вступи в канал.
access-refused = У тебя нет доступа к этому боту.

persona-menu = Кем мне быть для тебя? Выбери или опиши кого-то сам: /persona custom Имя: описание
persona-other-hint = Опиши, кем мне быть: /persona custom Имя: описание
persona-set = Хорошо! Теперь я для тебя — { $who }.
persona-custom-hint = Расскажи, кем мне быть, например: /persona custom Анна: моя старшая сестра, обожает походы и подшучивает над моей готовкой
persona-too-long = Описание слишком длинное: уложись, пожалуйста, в { $max ->
        [one] { $max } символ
        [few] { $max } символа
       *[many] { $max } символов
    }.
persona-noun-parent = родитель
persona-noun-spouse = супруг(а)
persona-noun-child = ребёнок
persona-noun-sibling = брат или сестра
persona-noun-friend = друг
persona-noun-colleague = коллега
persona-noun-other = кто-то другой (опиши)

new-style-done-heading = Контекст успешно обновлён!
new-style-done = { new-style-done-heading }
    Построено по { $samples ->
        [one] { $samples } твоему сообщению
       *[other] { $samples } твоим сообщениям
    }. Перешли мне сообщения, которые ты писал в других местах, в ближайшие { $minutes ->
        [one] { $minutes } минуту
        [few] { $minutes } минуты
       *[many] { $minutes } минут
    } — я поучусь и на них.
sample-added = Добавлено в образцы стиля: теперь профиль опирается на { $samples ->
        [one] { $samples } сообщение
        [few] { $samples } сообщения
       *[many] { $samples } сообщений
    }.
style-none = Я ещё не изучил твой стиль. Отправь /new_style, когда мы немного пообщаемся.
style-report-on = Твой стиль (по { $samples ->
        [one] { $samples } сообщению
       *[other] { $samples } сообщениям
    }): { $description }
    Подражание включено. /style off — выключить.
style-report-off = Твой стиль (по { $samples ->
        [one] { $samples } сообщению
       *[other] { $samples } сообщениям
    }): { $description }
    Подражание выключено. /style on — включить.
style-on = Хорошо, снова пишу в твоём стиле.
style-off = Хорошо, больше не подражаю твоему стилю. /style on вернёт его.
style-usage = Использование: /style, /style on или /style off
new-style-too-few = Чтобы изучить твой стиль, мне нужно несколько твоих сообщений. Пообщайся со мной немного, потом снова попробуй /new_style.
memory-folded = Наш разговор становится длинным, поэтому я сжал его раннюю часть в заметки. Всё важное я помню.


stopped = ⏹ Остановлено. То, что я успел написать, — выше; напиши что-нибудь, чтобы продолжить.
stopped-empty = ⏹ Остановлено, прежде чем я успел что-то написать.
cancelling = Хорошо: если я сейчас пишу ответ, я его остановлю.

transcript = 🎙 «{ $text }»
voice-on = Хорошо, буду отвечать ещё и голосовыми. /voice off это выключит.
voice-off = Хорошо, теперь только текстом.
voice-usage = Использование: /voice on или /voice off
settings-menu = Настройки. Нажми, чтобы изменить:
group-admins-only = Это могут менять только администраторы группы.
model-not-allowed = Эта модель недоступна.
setting-on = вкл
setting-off = выкл
setting-voice-replies = Голосовые ответы: { $state }
setting-transcripts = Показывать расшифровки: { $state }
setting-model = Модель: { $model }
setting-model-default = по умолчанию
