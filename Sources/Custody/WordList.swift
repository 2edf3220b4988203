/// Words for passphrases: 2508 short, common English words (3 to 8 lower-case letters, no duplicates),
/// written out for this project and placed in the public domain. Embedded in the binary so that passphrase
/// generation needs no file at run time.
enum WordList {
    static let words: [String] = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    private static let text = """
        able about above absent absorb accept access accord account accuse acid acorn acre across act action active
        actor actual adapt add adept adjust admire admit adobe adopt adult advice advise aerial affair afford afraid
        after again age agency agenda agent agile agree ahead aid aim air airline airport aisle alarm album alert alien
        align alike alive alley allow alloy almond almost alone along aloud alpha already also alter always amaze amber
        amble amount ample amuse anchor ancient angel anger angle angry angst animal ankle annual answer antenna anvil
        anxiety any apart apex apple apply apron arbor arch arctic area arena argue arid arise arm armor army aroma
        around arrange arrest arrive arrow art article artist ash aside ask aspect aspen asset assist assume atlas atom
        attach attack attend attic attract auction audio august aunt author auto autumn avenue average avocado avoid
        awake award aware away awful awning axis axle baby bacon badge badger bag bagel bakery balance balcony ball
        ballad bamboo banana band banjo bank banner bar barber bare bargain barley barn barrel base basic basil basin
        basket batch bath batter battery battle bayou beach beacon bead beagle beam bean bear beard beast beat beauty
        beaver become bed bedrock bee beech beef beehive beetle before begin behave behind being believe bell belly
        belong below belt bench bend benefit berry best better between beyond biceps bicycle bid big bike bill bind
        bingo biology birch bird birth biscuit bison bitter black blade blame blank blanket blast blaze blazer bleak
        blend bless blimp blind blink block blonde blood bloom blossom blotch blouse blue bluff blunt blur blush board
        boat bobcat body boil bold bolt bond bone bonfire bonnet bonus book boost boot booth borax border boring borrow
        boss bottle bottom bounce bounty bovine bow bowl box boy bracket brain branch brand brandy brass brave brazen
        bread breadth break breeze brick bridge brief bright brine bring brisk bristle brittle broad broccoli broken
        bronze brook broom brother brown brunch brush bubble bucket buckle buddy budget buffalo bugle build bulb bulk
        bulldog bumper bundle bungee bunker burden burger burlap burrow burst bus bush busy butane butter button buyer
        buzz cabbage cabin cable cactus cadet cage cake caliber call calm camel camera camp camper canal canary candid
        candle candy cannon canoe canopy canvas canyon cap capable caper capital captain car caramel caravan carbon card
        cargo carnival carpet carrot carry cart case cash cashew castle casual cat catalog catch catnip cattle cause
        cave cavern cedar ceiling celery cello cement census cereal certain chair chalk chamber champion change chaos
        chapel chapter charcoal charge charm chart chase cheap check cheese chef cherry chest chicken chief child
        chimney chisel choice choose chorus chowder chronic chunk church cider cinder cinema circle citizen citrus city
        civil claim clam clap clarify clarinet clause claw clay clean cleaver clerk clever click client cliff climb
        clinic clip clock close cloth cloud clover clown club clump cluster clutch coach coast cobalt cobra cocoa
        coconut code coffee coil coin collect color column combine come comet comfort comic common company compass
        concert condor conduct confirm conifer connect consider control convince cook cookie cool copper copy coral
        cordial corduroy core corn cornet correct cosmic cost cottage cotton couch cougar country couple course cousin
        cove cover cowboy coyote crack cradle craft cram crane crash crater crawl crayon crazy cream credit creek
        crescent crest crew cricket crimson crisp critic crochet crocus crop cross crouch crowd crucial cruise crumb
        crumble crunch crush crutch cry crystal cube cubicle cuckoo culture cumin cup cupboard cupcake curfew curious
        current curtain curve cushion custard custom cute cycle cymbal dad dahlia dairy daisy damage damp dance danger
        dapper daring dash daughter dawn day dazzle deal debate debris decade december decide decline decorate decoy
        decrease deer defense define defy degree delay deliver delta demand denial denim dentist deny depart depend
        deposit depot depth deputy derive describe desert design desk desktop detail detect develop device devote
        dewdrop diagram dial diamond diary dice diesel diet differ digital dignity dilemma diner dingo dinner dinosaur
        dipper direct dirt disagree disco discover disease dish dismiss display distance ditto divert divide dizzy dock
        doctor document dodge dog doll dolphin domain domino donate donkey donor doodle door dorm dose double dough dove
        draft dragon drama drastic draw dream dress drift drill drink drip drive drizzle drop drum dry duck duet duffel
        dugout dumpling dune during dusk dust duty dwarf dynamic dynamo eager eagle early earn earth easel easily east
        easy ebony echo eclipse ecology economy edge edible edit educate effort egg eggnog eight either elbow elder
        electric elegant element elephant elevator elite elk elm else embark ember embody embrace emerald emerge emotion
        employ empower empty emu enable enact encore end endive endless endorse enemy energy enforce engage engine
        enhance enjoy enlist enough enrich enroll ensure enter entire entry envelope epic episode equal equator equip
        era erase ermine erode erosion errand error erupt escape espresso essay essence estate eternal ethics evening
        evidence evoke evolve exact example excess exchange excite exclude excuse execute exercise exhaust exhibit exist
        exit exotic expand expect expire explain expose express extend extra eye eyebrow fable fabric face faculty fade
        faint faith falcon fall false fame family famous fan fancy fanfare fantasy farm fashion fat father fathom
        fatigue fault favorite feather feature february federal fee feed feel female fence fennel ferret ferry festival
        fetch fever few fiber fiction fiddle field fig figure file film filter final finch find fine finger finish fire
        firm first fiscal fish fit fitness fix fjord flag flame flannel flash flask flat flavor flee flight flint flip
        float flock floor flower fluid flush flute fly foal foam focus fog foil fold foliage folk follow fondue food
        foot force forest forge forget fork fortune forum forward fossil foster found fountain fox fractal fragile frame
        freckle frequent fresh friend fringe frisbee frog front frost frown frozen fruit fudge fuel fun funnel funny
        furnace fury future gable gadget gain galaxy gallery galley gallon game gap garage garbage garden garlic garment
        garnet gas gasp gate gather gauge gaze gazebo gecko general genius genre gentle genuine gesture geyser ghost
        giant gift giggle ginger ginseng giraffe girl give glacier glad glance glare glass glide glider glimpse globe
        gloom glory glove glow glue gnome goat goblet goddess gold gondola good goose gopher gorilla gospel gossip gourd
        govern gown grab grace grain granite grant grape grass gravel gravity great green grid griddle grief grit
        grocery grotto group grow grunt guard guava guess guide guilt guitar gumbo gusto gym habit hacksaw hair half
        halibut halo hammer hammock hamster hand happy harbor hard harp harsh harvest hat hatchet have haven hawk hazard
        hazel head health heart heavy hedgehog height hello helmet help hen hero heron hickory hidden high hill hinge
        hint hip hippo hire history hobby hockey hold hole holiday hollow home honey hood hoodie hope horn hornet horror
        horse hospital host hotel hour hover hub huge human humble hummus humor hundred hungry hunt hurdle hurry hurt
        husband husky hyacinth hybrid ice icon idea identify idle igloo ignore ill illegal image imitate immense immune
        impact impala impose improve impulse inch include income increase index indicate indoor industry infant inform
        inhale inherit initial inject inner innocent input inquiry insect inside inspire install intact interest into
        invest invite involve iris iron island isolate issue item ivory ivy jackal jacket jaguar jar jasmine javelin
        jazz jealous jeans jelly jersey jewel jigsaw job jockey jogger join joke journey joy jubilee judge juggler juice
        jump jungle junior juniper junk just kangaroo kayak keen keep kelp kernel ketchup kettle key keyboard kick kid
        kidney kiln kimono kind kingdom kiss kit kitchen kite kitten kiwi knee knife knock know koala lab label labor
        ladder ladle lady lagoon lake lamp language lantern laptop larch large lasso latch later lattice laugh laundry
        laurel lava lavender law lawn layer lazy leader leaf learn leave lecture ledger left leg legal legend legume
        leisure lemon lend length lens lentil leopard lesson letter lettuce level liberty library license life lift
        light like lilac limb lime limit linen link lion liquid list little live lizard llama load loan lobster local
        lock locket locust logic lonely long loop lottery lotus loud lounge love loyal lucky luggage lullaby lumber
        lunar lunch lupine luxury lynx lyrics macaw machine mad magenta magic magnet magpie maid mail main major make
        mallard mammal man manage mandate mandolin mango manor mansion mantle manual maple marble march margin marine
        market marmot marriage marsh mascot mask mass master match material math matrix matter maximum maze meadow mean
        measure meat mechanic medal media medley melody melon melt member memory mention menu mercy merge merit merry
        mesh message metal meteor method middle midnight midway milk million mimic mind mingle minimum minnow minor mint
        minute miracle mirror miss mistake mix mixed mixture mobile mocha model modify molar mom moment monitor monkey
        monsoon monster month moon moose moral more morning mosaic mosquito moss moth mother motion motor mountain mouse
        move movie much muffin mule multiply mural muscle museum mushroom music must mustang mutton mutual myrtle myself
        mystery myth nacho naive name napkin narrow narwhal nation nature near neck nectar need needle negative neglect
        neither nephew nerve nest net network neutral never news next nice nickel night nimble noble noise nomad nominee
        noodle normal north nose notable note nothing notice nougat novel now nuclear number nurse nut nutmeg oak oasis
        oatmeal obey object oblige obscure observe obtain obvious occur ocean october octopus odor off offer office
        often oil okay old olive omit once one onion online only onyx opal open opera opinion oppose option orange orbit
        orchard orchid order ordinary organ orient original oriole orphan ostrich other otter outdoor outer outlet
        output outside oval oven over own owner oxygen oyster ozone pact paddle paddock page pagoda pair paisley palace
        palm pancake panda panel panic panther papaya paper paprika parade parcel parent park parrot parsley party pass
        pasta pastel pastry patch path patient patio patrol pattern pause pave payment peace peach peanut pear peasant
        pebble pecan pedal pegasus pelican pen penalty pencil penguin peony people pepper perch perfect permit person
        pet pewter pheasant phone photo phrase physical piano pickle picnic picture piece pig pigeon pigment pill pilot
        pinecone pink pinto pioneer pipe piper pitch pixel pizza place planet plastic plate play plaza please pledge
        pluck plug plum plunge poem poet point polar pole police polka poncho pond pony pool poplar popular porch
        portion position possible possum post potato pottery poverty powder power practice prairie praise predict prefer
        prepare present pretty pretzel prevent price pride primary print priority prism private prize problem process
        produce profit program project promote proof property prosper protect proud provide public pudding puffin pull
        pulley pulp pulse pumpkin punch pupil puppy purchase purity purpose purse push put puzzle pyramid quail quality
        quantum quarter quartz question quick quill quilt quit quiz quote rabbit raccoon race rack radar radio radish
        rail rain raise raisin rally ramp ranch random range rapid rapids rare rate rather raven raw razor ready real
        reason rebel rebuild recall receive recipe record recycle reduce reflect reform refuse region regret regular
        reindeer reject relax release relic relief rely remain remember remind remove render renew rent reopen repair
        repeat replace report require rescue resemble resist resource response result retire retreat return reunion
        reveal review reward rhubarb rhythm rib ribbon rice rich riddle ride ridge right rigid ring ripple risk ritual
        rival river road roast robin robot robust rocket rodeo romance roof rookie room rose rosemary rotate rough round
        route royal rubber ruby rudder rude rug rule run runway rural sad saddle safe saffron sage sail salad salmon
        salon salsa salt salute same sample sand sandal sapling sardine satchel satisfy sauce sausage savanna save say
        scale scallop scan scare scarf scatter scene scheme school science scissors scone scorpion scout scrap screen
        script scrub sea search season seat second secret section security seed seek segment select sell seminar senior
        sense sentence sequoia series service sesame session settle setup seven shadow shaft shallow shamrock share shed
        shell sherbet shield shift shine ship shiver shock shoe shoot shop short shoulder shove shovel shrimp shrug
        shuffle shy sibling sick side sierra sight sign silent silk silly silo silver similar simple since sing siren
        sister situate six size skate sketch ski skiff skill skin skirt skull skylark slab slam sleep sleigh slender
        slice slide slight slim slogan slot sloth slow slush small smart smile smoke smooth smoothie snack snake snap
        sniff snorkel snow soap soccer social sock soda soft solar soldier solid solution solve someone song sonnet soon
        sorbet sorry sort soul sound soup source south space spare sparrow spatial spawn speak special speed spell spend
        sphere spice spider spike spin spindle spirit split spoil sponsor spoon sport spot spray spread spring sprout
        spruce spy square squash squeeze squirrel stable stadium staff stage stairs stallion stamp stand starfish start
        state stay steak steel stem stencil step stereo stick still sting stock stomach stone stool stork story stove
        strategy street strike strong struggle student stuff stumble style subject submit subway success such sudden
        suffer sugar suggest suit summer sun sundial sunny sunset super supply supreme sure surface surge surprise
        surround survey suspect sustain swallow swamp swan swap swarm swear sweet swift swim swing switch sword symbol
        symptom syrup system table tackle tadpole tag tail talent talk tamale tango tank tape tapioca target task tassel
        taste tattoo taxi teach team teapot tell ten tenant tennis tent term test text thank that theme then theory
        there they thimble thing this thistle thought three thrive throw thumb thunder thyme ticket tide tiger tilt
        timber time tiny tip tired tissue title toast toboggan today toddler toe toffee together token tomato tomorrow
        tone tongue tonight tool tooth top topaz topic topple torch tornado tortoise toss total tourist toward tower
        town toy track trade traffic train transfer trap trash travel tray treat tree trellis trend trial tribe trick
        trigger trim trip trophy trouble trout truck true truffle truly trumpet trust truth try tube tuition tulip
        tumble tuna tundra tunnel turkey turn turnip turtle tuxedo twelve twenty twice twin twist two type typical
        ukulele umbrella umpire unable unaware uncle uncover under undo unfair unfold unhappy unicorn uniform unique
        unit universe unknown unlock until unusual unveil update upgrade uphold upon upper upset urban urchin urge usage
        use used useful useless usual utility vacant vacuum vague valid valley valor valve van vanilla vanish vapor
        various vast vault vehicle velcro velvet vendor venture venue veranda verb verify version very vessel veteran
        viable vibrant victory video view village vinegar vintage violet violin virtual virus visa visit visual vital
        vivid vocal voice void volcano volume vortex vote voyage waffle wage wagon wait walk wall walnut walrus wander
        want warbler warm warrior wash wasp waste water wave way wealth wear weasel weather web wedding weekend weird
        welcome west wet whale what wheat wheel when where whip whisper whistle wicker wide widget width wife wild will
        willow win window wine wing wink winner winter wire wisdom wise wish witness wolf woman wombat wonder wood wool
        word work world worry worth wrap wreck wren wrestle wrist write wrong yacht yard year yellow yodel yogurt you
        young youth zeal zebra zephyr zero zigzag zinnia zipper zone zoo
        """
}
