"""Name variant data: each line is ``canonical: variant variant ...``.

NICKNAMES are familiar forms (Bill for William); SPELLINGS are alternative spellings and
transliterations of one name (Mohammed, Muhammad). A name may appear in several groups.
Edit this data, not the code, to teach the lookup new names.
"""

NICKNAMES = """
william: bill billy will willy willie liam wil
robert: bob bobby rob robbie robby bert
richard: dick rick ricky rich richie
james: jim jimmy jamie jas
john: jon johnny jonny jack jock
jonathan: jon jonny jonty nathan
joseph: joe joey jo
thomas: tom tommy thom
michael: mike mick micky mikey
christopher: chris kit topher
christine: chris chrissie christie tina
christina: chris tina
alexander: alex sandy sasha xander al
alexandra: alex sandra sasha lexi
elizabeth: liz lizzie beth betty bess bessie eliza libby lisa elsie
margaret: maggie meg peggy marge madge greta rita
katherine: kate katie kathy kat kay kit
catherine: kate katie cathy cat kay
patricia: pat patty trish tricia
patrick: pat paddy
daniel: dan danny
david: dave davey
edward: ed eddie ted teddy ned
anthony: tony ant
andrew: andy drew
benjamin: ben benny
charles: charlie chas chuck
nicholas: nick nicky
samuel: sam sammy
samantha: sam sammy
steven: steve stevie
stephen: steve stevie
matthew: matt matty
peter: pete
timothy: tim timmy
gerald: gerry jerry
jennifer: jen jenny jenni
rebecca: becky becca
victoria: vicky tori
susan: sue susie
deborah: debbie deb
jacqueline: jackie jacqui
josephine: jo josie
joanne: jo jojo
abigail: abby abbie gail
kimberley: kim
frederick: fred freddie
henry: harry hal hank
harold: harry hal
leonard: len lenny leo
lawrence: larry laurie
ronald: ron ronnie
donald: don donny
kenneth: ken kenny
raymond: ray
terence: terry
douglas: doug dougie
gregory: greg
philip: phil pip
nathaniel: nat nate nathan
zachary: zach zack
amanda: mandy
dorothy: dot dotty
eleanor: ellie nell nora
helen: nell ellie
theresa: tess tessa terri
darren: daz dazza
gary: gaz gazza
barry: baz
sharon: shaz
natasha: tash tasha
kelly: kel
lindsay: lindz
gareth: gaz
agnieszka: aga agnes
tomasz: tomek tom
aleksandra: ola ala
priya: pri
"""

SPELLINGS = """
muhammad: mohammed mohammad mohamed muhammed mohamad mohamud mahomed muhamad mohammod
ahmed: ahmad ahmet ahmid
mustafa: mustapha mostafa
yusuf: yousef yousuf youssef yusef joseph
ibrahim: ebrahim abraham
hussein: hussain husain hossein
abdullah: abdulla abdallah
fatima: fatimah fatma
aisha: ayesha aysha aishah
mariam: maryam miriam
khan: kahn
ali: aly
john: jon
sean: shaun shawn shane
stephen: steven stephan
philip: phillip
geoffrey: jeffrey jeffery
catherine: katherine kathryn catharine katharine
caitlin: kaitlyn katelyn
zoe: zoey
sarah: sara
hannah: hanna
rachel: rachael
deborah: debra
claire: clare clair
anne: ann
lewis: louis
aaron: aron
matthew: mathew
nicholas: nicolas
mohan: mohun
krzysztof: christopher
aleksandr: alexander aleksander oleksandr
olga: olha
sergei: sergey serhiy
yuri: yuriy iurii
natalia: natalya nataliya natasha
siobhan: shevaun chevonne
niamh: neve neave
smith: smyth smythe
thompson: thomson
macdonald: mcdonald
mackenzie: mckenzie
"""
