# /forget: o aviso, os seus botões e o relatório que o substitui.
privacy-forget-warning =
    Isto apaga para sempre tudo o que guardo sobre você:
    • a nossa conversa privada: todas as mensagens, notas e títulos de conversa, incluindo os guardados no provedor de IA
    • a sua persona, configurações, perfil de estilo e amostras de estilo
    • os seus registros de uso, limites e créditos
    Não é possível desfazer.{ $group ->
        [yes] {" "}Nos grupos, o que você disse fica na conversa do grupo, sem ligação a você.
       *[no] {""}
    }
privacy-forget-confirm-button = 🗑 Apagar tudo
privacy-forget-cancel-button = Manter os meus dados
privacy-forget-not-yours = Só quem enviou /forget pode responder a isto.
privacy-forget-working = Apagando os seus dados…
privacy-forget-kept = Certo, nada foi apagado.
privacy-forget-expired = Esta confirmação expirou. Envie /forget de novo se ainda quiser apagar os seus dados.
privacy-forget-nothing = Não havia mais nada seu para apagar.
privacy-forget-done =
    Pronto. Apaguei tudo o que guardava sobre você:
    • { $messages ->
        [one] uma mensagem
       *[other] { $messages } mensagens
    } e { $notes ->
        [one] uma nota
       *[other] { $notes } notas
    }
    • { $conversations ->
        [one] um título de conversa
       *[other] { $conversations } títulos de conversa
    }{ $server ->
        [0] {""}
        [one] {", e uma conversa no provedor de IA"}
       *[other] {", e "}{ $server }{" conversas no provedor de IA"}
    }
    • { $samples ->
        [one] uma amostra de estilo
       *[other] { $samples } amostras de estilo
    }
    • { $records ->
        [one] outro registro
       *[other] { $records } outros registros
    } (perfil, persona, configurações, uso, créditos)
    Se voltar a me escrever, começo do zero.

# /forget in the private command menu.
cmd-forget = Apagar tudo o que guardo sobre você
