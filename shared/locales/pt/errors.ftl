# When things go wrong: one clear sentence each, and no promise that is not kept.

message-too-long = Essa mensagem é longa demais para eu ler de uma vez (cerca de { $tokens ->
        [one] { $tokens } token
       *[other] { $tokens } tokens
    }; consigo lidar com cerca de { $budget }). Pode dividi-la?
file-too-large-size = Esse arquivo é grande demais para mim ({ $size } MB): o Telegram só deixa bots baixarem arquivos de até 20 MB. Pode mandar um áudio mais curto ou digitar?
file-too-large = Esse arquivo é grande demais para mim: o Telegram só deixa bots baixarem arquivos de até 20 MB. Pode mandar um áudio mais curto ou digitar?
no-words-heard = Não consegui entender nenhuma palavra nesse áudio.
media-failed = Desculpe, não consegui abrir esse arquivo. Pode enviá-lo de novo?
still-trying = Estou com dificuldade para falar com meu modelo de linguagem agora. Vou continuar tentando por alguns minutos e te respondo de qualquer jeito.
draft-retrying = ⏳ O modelo não respondeu, tentando de novo…
draft-remembering = 📝 Revendo nossa conversa até agora…
cut-short = ✂ Isso levou mais tempo do que me é permitido, então minha resposta para aqui. Diga “continua” e eu sigo.
no-vision = Este modelo não consegue ver fotos, então não sei o que há nesta. Me conte com palavras e eu converso sobre ela com prazer.
no-transcription = Aqui não consigo ouvir áudios: o servidor de IA que uso não tem reconhecimento de fala. Pode digitar?
voice-unreadable = Desculpe, não consegui entender essa gravação. Pode enviá-la de novo ou digitar?
no-speech = (Neste servidor não consigo gravar áudios, então minhas respostas continuam em texto.)
speech-failed = (Não consegui gravar um áudio para esta resposta.)
conversation-restored = (Perdi o fio da nossa conversa do lado do modelo, então comecei uma nova com o que lembro da nossa.)

gave-up-quota = Desculpe, não posso responder agora: a conta de IA do bot está sem crédito. Quem administra o bot precisa resolver isso; tente de novo mais tarde.
gave-up-unauthorized = Desculpe, não posso responder agora: o serviço de IA recusou a chave do bot. Quem administra o bot precisa resolver isso; tente de novo mais tarde.
gave-up-model-not-found = Desculpe, não posso responder agora: o modelo de IA para o qual o bot está configurado não está disponível. Quem administra o bot precisa resolver isso; tente de novo mais tarde.
gave-up-endpoint-missing = Desculpe, não posso responder agora: o servidor de IA não oferece o que eu preciso. Quem administra o bot precisa resolver isso; tente de novo mais tarde.
gave-up-content-filter = Não posso responder a isso. Vamos falar de outra coisa?
gave-up-context-overflow = Isso é mais do que consigo ler de uma vez, mesmo depois de resumir nossa conversa anterior. Pode dividir?
gave-up-bad-request = Desculpe, o modelo de IA não conseguiu processar esta mensagem. Pode dizer de outro jeito?
gave-up-empty = Desculpe, o modelo voltou sem resposta. Pode dizer de outro jeito?
gave-up-model-retrying = Desculpe, ainda não consegui uma resposta do meu modelo de linguagem, então parei de tentar por enquanto. Envie sua mensagem de novo daqui a pouco.
gave-up-internal = Desculpe, algo deu errado do meu lado e não consigo responder a esta mensagem. Tente de novo mais tarde.
