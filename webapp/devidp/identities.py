"""Test identities offered by the local providers (made-up people; INSEE codes are real places)."""

FRANCECONNECT = [
    {"sub": "fc-camille-martin", "given_name": "Camille Louise", "family_name": "MARTIN", "birthdate": "1988-05-14",
     "birthplace": "69266", "birthcountry": "99100", "gender": "female", "email": "camille.martin@example.org",
     "preferred_username": "", "_label": "Camille Louise MARTIN, née le 14/05/1988 à Villeurbanne (victime de la démo)"},
    {"sub": "fc-camille-martin-homonyme", "given_name": "Camille", "family_name": "MARTIN", "birthdate": "1988-05-14",
     "birthplace": "69383", "birthcountry": "99100", "gender": "female", "email": "c.martin@example.net",
     "preferred_username": "", "_label": "Camille MARTIN, née le 14/05/1988 à Lyon 3e (homonyme)"},
    {"sub": "fc-lea-durand", "given_name": "Léa Marie", "family_name": "DURAND", "birthdate": "1990-07-14",
     "birthplace": "44109", "birthcountry": "99100", "gender": "female", "email": "lea.durand@example.org",
     "preferred_username": "", "_label": "Léa Marie DURAND, née le 14/07/1990 à Nantes"},
    {"sub": "fc-ines-leroy", "given_name": "Inès", "family_name": "DUPONT", "birthdate": "1979-02-03",
     "birthplace": "59350", "birthcountry": "99100", "gender": "female", "email": "ines.leroy@example.org",
     "preferred_username": "LEROY", "_label": "Inès DUPONT épouse LEROY, née le 03/02/1979 à Lille"},
    {"sub": "fc-ana-silva", "given_name": "Ana Maria", "family_name": "SILVA", "birthdate": "1985-02-01",
     "birthplace": "", "birthcountry": "99139", "gender": "female", "email": "ana.silva@example.org",
     "preferred_username": "", "_label": "Ana Maria SILVA, née le 01/02/1985 au Portugal"},
]

PROCONNECT = [
    {"sub": "pc-karim-benali", "given_name": "Karim", "usual_name": "Benali", "email": "enqueteur@demo.suivi-plainte.fr",
     "uid": "kbenali", "siret": "13000000000000", "_label": "Karim Benali, enquêteur (démo)"},
    {"sub": "pc-anne-lefevre", "given_name": "Anne", "usual_name": "Lefèvre", "email": "chef@demo.suivi-plainte.fr",
     "uid": "alefevre", "siret": "13000000000000", "_label": "Anne Lefèvre, cheffe de service (démo)"},
    {"sub": "pc-inconnu", "given_name": "Hugo", "usual_name": "Inconnu", "email": "hugo.inconnu@interieur.gouv.fr",
     "uid": "hinconnu", "siret": "13000000000000", "_label": "Hugo Inconnu (aucun compte agent)"},
]

IDENTITIES = {"franceconnect": FRANCECONNECT, "proconnect": PROCONNECT}
