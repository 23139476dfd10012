# /forget: el aviso, sus botones y el informe que lo sustituye.
privacy-forget-warning =
    Esto borra para siempre todo lo que guardo sobre ti:
    • nuestra conversación privada: todos los mensajes, notas y títulos de conversación, también los guardados en el proveedor de IA
    • tu persona, tus ajustes, tu perfil de estilo y tus muestras de estilo
    • tus registros de uso, límites y créditos
    No se puede deshacer.{ $group ->
        [yes] {" "}En los grupos, lo que dijiste se queda en la conversación del grupo, sin ningún vínculo contigo.
       *[no] {""}
    }
privacy-forget-confirm-button = 🗑 Borrarlo todo
privacy-forget-cancel-button = Conservar mis datos
privacy-forget-not-yours = Solo quien envió /forget puede responder a esto.
privacy-forget-working = Borrando tus datos…
privacy-forget-kept = De acuerdo, no se ha borrado nada.
privacy-forget-expired = Esta confirmación ha caducado. Envía /forget de nuevo si aún quieres borrar tus datos.
privacy-forget-nothing = No quedaba nada tuyo por borrar.
privacy-forget-done =
    Listo. He borrado todo lo que guardaba sobre ti:
    • { $messages ->
        [one] un mensaje
       *[other] { $messages } mensajes
    } y { $notes ->
        [one] una nota
       *[other] { $notes } notas
    }
    • { $conversations ->
        [one] un título de conversación
       *[other] { $conversations } títulos de conversación
    }{ $server ->
        [0] {""}
        [one] {", y una conversación en el proveedor de IA"}
       *[other] {", y "}{ $server }{" conversaciones en el proveedor de IA"}
    }
    • { $samples ->
        [one] una muestra de estilo
       *[other] { $samples } muestras de estilo
    }
    • { $records ->
        [one] otro registro
       *[other] { $records } registros más
    } (perfil, persona, ajustes, uso, créditos)
    Si me vuelves a escribir, empezaré desde cero.

# /forget in the private command menu.
cmd-forget = Borrar todo lo que guardo sobre ti
