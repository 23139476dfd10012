# /forget : l'avertissement, ses boutons et le compte rendu qui le remplace.
privacy-forget-warning =
    Ceci efface définitivement tout ce que je garde sur vous :
    • notre conversation privée : tous les messages, notes et titres de conversation, y compris ceux gardés chez le fournisseur d'IA
    • votre persona, vos réglages, votre profil de style et vos échantillons de style
    • vos relevés d'utilisation, limites et crédits
    C'est irréversible.{ $group ->
        [yes] {" "}Dans les groupes, ce que vous avez dit reste dans la conversation du groupe, sans lien avec vous.
       *[no] {""}
    }
privacy-forget-confirm-button = 🗑 Tout effacer
privacy-forget-cancel-button = Garder mes données
privacy-forget-not-yours = Seule la personne qui a envoyé /forget peut répondre à ceci.
privacy-forget-working = Effacement de vos données…
privacy-forget-kept = D'accord, rien n'a été effacé.
privacy-forget-expired = Cette confirmation a expiré. Renvoyez /forget si vous voulez toujours effacer vos données.
privacy-forget-nothing = Il ne restait plus rien vous concernant à effacer.
privacy-forget-done =
    C'est fait. J'ai effacé tout ce que je gardais sur vous :
    • { $messages ->
        [one] { $messages } message
       *[other] { $messages } messages
    } et { $notes ->
        [one] { $notes } note
       *[other] { $notes } notes
    }
    • { $conversations ->
        [one] { $conversations } titre de conversation
       *[other] { $conversations } titres de conversation
    }{ $server ->
        [0] {""}
        [one] {", et une conversation chez le fournisseur d'IA"}
       *[other] {", et "}{ $server }{" conversations chez le fournisseur d'IA"}
    }
    • { $samples ->
        [one] { $samples } échantillon de style
       *[other] { $samples } échantillons de style
    }
    • { $records ->
        [one] { $records } autre enregistrement
       *[other] { $records } autres enregistrements
    } (profil, persona, réglages, utilisation, crédits)
    Si vous m'écrivez à nouveau, je repartirai de zéro.

# /forget in the private command menu.
cmd-forget = Effacer tout ce que je garde sur toi
