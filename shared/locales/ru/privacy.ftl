# /forget: предупреждение, его кнопки и отчёт, который его заменяет.
privacy-forget-warning =
    Это навсегда удалит всё, что я храню о вас:
    • нашу личную переписку: все сообщения, заметки и названия разговоров, в том числе хранящиеся у поставщика ИИ
    • вашу персону, настройки, профиль стиля и образцы стиля
    • учёт использования, лимиты и кредиты
    Отменить это будет нельзя.{ $group ->
        [yes] {" "}В группах сказанное вами останется в разговоре группы, но без связи с вами.
       *[no] {""}
    }
privacy-forget-confirm-button = 🗑 Удалить всё
privacy-forget-cancel-button = Оставить мои данные
privacy-forget-not-yours = Ответить на это может только тот, кто отправил /forget.
privacy-forget-working = Удаляю ваши данные…
privacy-forget-kept = Хорошо, ничего не удалено.
privacy-forget-expired = Срок этого подтверждения истёк. Отправьте /forget ещё раз, если всё ещё хотите удалить свои данные.
privacy-forget-nothing = Удалять было уже нечего.
privacy-forget-done =
    Готово. Я удалил всё, что хранил о вас:
    • { $messages ->
        [one] { $messages } сообщение
        [few] { $messages } сообщения
        [many] { $messages } сообщений
       *[other] { $messages } сообщения
    } и { $notes ->
        [one] { $notes } заметку
        [few] { $notes } заметки
        [many] { $notes } заметок
       *[other] { $notes } заметки
    }
    • { $conversations ->
        [one] { $conversations } название разговора
        [few] { $conversations } названия разговоров
        [many] { $conversations } названий разговоров
       *[other] { $conversations } названия разговоров
    }{ $server ->
        [0] {""}
        [one] {", а также "}{ $server }{" разговор у поставщика ИИ"}
        [few] {", а также "}{ $server }{" разговора у поставщика ИИ"}
       *[other] {", а также "}{ $server }{" разговоров у поставщика ИИ"}
    }
    • { $samples ->
        [one] { $samples } образец стиля
        [few] { $samples } образца стиля
        [many] { $samples } образцов стиля
       *[other] { $samples } образца стиля
    }
    • { $records ->
        [one] { $records } другую запись
        [few] { $records } другие записи
        [many] { $records } других записей
       *[other] { $records } другой записи
    } (профиль, персона, настройки, использование, кредиты)
    Если напишете мне снова, я начну с чистого листа.

# /forget in the private command menu.
cmd-forget = Удалить всё, что я о тебе храню
