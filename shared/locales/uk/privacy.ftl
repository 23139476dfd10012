# /forget: попередження, його кнопки та звіт, що його замінює.
privacy-forget-warning =
    Це назавжди видалить усе, що я зберігаю про вас:
    • наше особисте листування: усі повідомлення, нотатки й назви розмов, зокрема ті, що зберігаються в постачальника ШІ
    • вашу персону, налаштування, профіль стилю та зразки стилю
    • облік використання, ліміти й кредити
    Скасувати це буде неможливо.{ $group ->
        [yes] {" "}У групах сказане вами залишиться в розмові групи, але без зв'язку з вами.
       *[no] {""}
    }
privacy-forget-confirm-button = 🗑 Видалити все
privacy-forget-cancel-button = Залишити мої дані
privacy-forget-not-yours = Відповісти на це може лише той, хто надіслав /forget.
privacy-forget-working = Видаляю ваші дані…
privacy-forget-kept = Гаразд, нічого не видалено.
privacy-forget-expired = Термін цього підтвердження минув. Надішліть /forget ще раз, якщо досі хочете видалити свої дані.
privacy-forget-nothing = Видаляти вже не було чого.
privacy-forget-done =
    Готово. Я видалив усе, що зберігав про вас:
    • { $messages ->
        [one] { $messages } повідомлення
        [few] { $messages } повідомлення
        [many] { $messages } повідомлень
       *[other] { $messages } повідомлення
    } і { $notes ->
        [one] { $notes } нотатку
        [few] { $notes } нотатки
        [many] { $notes } нотаток
       *[other] { $notes } нотатки
    }
    • { $conversations ->
        [one] { $conversations } назву розмови
        [few] { $conversations } назви розмов
        [many] { $conversations } назв розмов
       *[other] { $conversations } назви розмов
    }{ $server ->
        [0] {""}
        [one] {", а також "}{ $server }{" розмову в постачальника ШІ"}
        [few] {", а також "}{ $server }{" розмови в постачальника ШІ"}
       *[other] {", а також "}{ $server }{" розмов у постачальника ШІ"}
    }
    • { $samples ->
        [one] { $samples } зразок стилю
        [few] { $samples } зразки стилю
        [many] { $samples } зразків стилю
       *[other] { $samples } зразка стилю
    }
    • { $records ->
        [one] { $records } інший запис
        [few] { $records } інші записи
        [many] { $records } інших записів
       *[other] { $records } іншого запису
    } (профіль, персона, налаштування, використання, кредити)
    Якщо напишете мені знову, я почну з чистого аркуша.

# /forget in the private command menu.
cmd-forget = Видалити все, що я про тебе зберігаю
