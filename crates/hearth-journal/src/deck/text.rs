//! The words of Hearth's prompt deck: original questions and ritual prompts written for Hearth.
//!
//! Ids are stable forever: an answer in a journal refers to its question by id, so text may be
//! polished later but an id is never reused for a different question.

/// One question of the deck: a stable id and its text.
pub(crate) type Card = (&'static str, &'static str);

/// Tier 1 — light: easy, playful questions about tastes, quirks and everyday life that are fun to
/// answer on any day and to compare afterwards.
#[rustfmt::skip]
pub(crate) const LIGHT: &[Card] = &[
    ("l001", "What's a smell that instantly takes you somewhere else?"),
    ("l002", "Which ordinary food would you defend to anyone who calls it boring?"),
    ("l003", "If right now had a soundtrack, what song would be playing?"),
    ("l004", "What's something you were oddly good at as a kid?"),
    ("l005", "Which word or phrase do you secretly love saying?"),
    ("l006", "Which everyday chore would you most like to be brilliant at overnight?"),
    ("l007", "What's the best thing you've eaten this month?"),
    ("l008", "On a long journey, window seat or aisle, and what does that say about you?"),
    ("l009", "Which fictional place would you happily live in for a year?"),
    ("l010", "What's a tiny thing that reliably rescues a bad afternoon for you?"),
    ("l011", "If the two of us had a mascot animal, what would it be and why?"),
    ("l012", "What did you want to be when you grew up, back when you were about eight?"),
    ("l013", "Which season suits you best, and which do you think suits me?"),
    ("l014", "What's an object you'd be a little lost without this week?"),
    ("l015", "What's the last thing that made you laugh out loud when you were on your own?"),
    ("l016", "If you could play any instrument tomorrow, what would you play first?"),
    ("l017", "What's a rule from your childhood that you now secretly think was fair?"),
    ("l018", "What are three details of your ideal lazy morning?"),
    ("l019", "What's your most-used emoji, and is it a fair portrait of you?"),
    ("l020", "What's a hobby you'd try if nobody were watching?"),
    ("l021", "Which fictional character would you trust to plan a trip for us?"),
    ("l022", "If you had to teach a ten-minute class on anything tomorrow, what would it be?"),
    ("l023", "What's a snack combination you'd only admit to me?"),
    ("l024", "What place have you visited that you think about more often than you expected to?"),
    ("l025", "What's a word you always trip over when you say it out loud?"),
    ("l026", "Would you rather have a trip planned to the hour or not planned at all?"),
    ("l027", "What's a film or show you could rewatch forever?"),
    ("l028", "What kind of weather makes you happiest to be indoors?"),
    ("l029", "Which animal do you think you'd get along with best if it could talk?"),
    ("l030", "What's something you collected at some point in your life?"),
    ("l031", "If you could go by a different name for a week, which one would you try?"),
    ("l032", "What's a trend you never understood but quietly admire?"),
    ("l033", "What's the most satisfying sound you know?"),
    ("l034", "If you opened a tiny café with only one thing on the menu, what would it be?"),
    ("l035", "What's the best nap you've ever had, and where was it?"),
    ("l036", "What's a word from another language you wish you could borrow for everyday use?"),
    ("l037", "Which childhood book, show or game still lives in your head?"),
    ("l038", "What's your strongest opinion about something that doesn't matter at all?"),
    ("l039", "If you could add one day of celebration to the calendar, what would it celebrate?"),
    ("l040", "What's a compliment from a stranger that you still remember?"),
    ("l041", "If you got walk-on music every time you entered a room, what would yours be?"),
    ("l042", "What's a skill you picked up from a video and were unreasonably proud of?"),
    ("l043", "What do you notice first in a new place: the light, the sounds or the smells?"),
    ("l044", "What's something you always pack, even when you know you won't need it?"),
    ("l045", "On a free day, do you want no plan, one plan, or a full itinerary?"),
    ("l046", "If you could master one dance overnight, which would you show off first?"),
    ("l047", "What's the most beautiful ordinary thing you saw this week?"),
    ("l048", "If you owned a boat, what would you name it?"),
    ("l049", "What did you spend far too long thinking about this week?"),
    ("l050", "If you were a houseplant, what kind of care would you need?"),
    ("l051", "If you had a free hour right now, where would you go to sit quietly?"),
    ("l052", "On a rainy day together, would you rather cook, watch something, or go out anyway?"),
    ("l053", "What's a game you'd happily play with me again and again?"),
    ("l054", "What's a small thing that makes you feel like a competent grown-up?"),
    ("l055", "Which fruit is overrated, and which is unfairly ignored?"),
    ("l056", "If you could have one tiny, harmless superpower, what would it be?"),
    ("l057", "What's the best present you've ever given someone?"),
    ("l058", "What's a piece of clothing you've kept far longer than makes sense?"),
    ("l059", "What do you most like doing with your hands?"),
    ("l060", "What's a question you wish people asked you more often?"),
    ("l061", "What's the most 'you' part of your daily routine?"),
    ("l062", "Which everyday object do you think is perfectly designed?"),
];

/// Tier 2 — closer: questions about feelings, memories and the way we are together, for when
/// the light ones have warmed things up.
#[rustfmt::skip]
pub(crate) const CLOSER: &[Card] = &[
    ("c001", "What's a moment early on when you thought, \"Oh, I really like this person\"?"),
    ("c002", "What's something I do without noticing that you find endearing?"),
    ("c003", "When you're stressed, do you want company, space, distraction or a hand from me?"),
    ("c004", "What's a memory of us you come back to when you need cheering up?"),
    ("c005", "Who in your life, besides me, understands you best, and what do they get right?"),
    ("c006", "What's a small thing I could do that would make a hard week easier for you?"),
    ("c007", "What's something you've learned from me, even if I never meant to teach it?"),
    ("c008", "When do you feel most like yourself around me?"),
    ("c009", "What's a habit of yours you hope I find charming rather than annoying?"),
    ("c010", "What did you believe about love when you were younger that you no longer do?"),
    ("c011", "What's a compliment you'd like to hear more often, from me or anyone?"),
    ("c012", "What's a place we've been together that you'd go back to tomorrow?"),
    ("c013", "What helps you settle after a disagreement, with anyone?"),
    ("c014", "What's something you're proud of this year that you haven't told many people?"),
    ("c015", "What's one of our inside jokes, and do you remember how it started?"),
    ("c016", "What does a really good evening together look like for you lately?"),
    ("c017", "What's a worry of yours you'd like me to know about, even if I can't fix it?"),
    ("c018", "What would your younger self be most surprised to learn about your life now?"),
    ("c019", "What's a way you show care that you think I might miss?"),
    ("c020", "What's a tradition, big or tiny, you'd like the two of us to start?"),
    ("c021", "When we disagree, what's something I do that helps?"),
    ("c022", "What's a song that makes you think of me, or of us?"),
    ("c023", "What's something about how you grew up that still shapes your ordinary days?"),
    ("c024", "What's a part of your day you wish I could see more of?"),
    ("c025", "What's a question you've wanted to ask me but haven't yet?"),
    ("c026", "When did you last feel really proud of me?"),
    ("c027", "What's a small risk you'd like to take in the next few months?"),
    ("c028", "What kind of affection would you like more of?"),
    ("c029", "What do you need to hear when you've made a mistake?"),
    ("c030", "What's one thing that makes you feel at home, wherever you are?"),
    ("c031", "What's a friendship that shaped who you are?"),
    ("c032", "What's something about you that you've never quite explained to me?"),
    ("c033", "How do you know when you need time alone, and how could I tell?"),
    ("c034", "What's a moment from before we met that you wish I'd been there for?"),
    ("c035", "What do you think we're quietly good at as a pair?"),
    ("c036", "When did you last feel completely looked after by me?"),
    ("c037", "Which of your moods do you think I read well, and which are harder to spot?"),
    ("c038", "What's a belief about yourself you've slowly been letting go of?"),
    ("c039", "What's something you loved as a teenager that you still carry with you?"),
    ("c040", "What's a small promise I kept that meant more than I probably realised?"),
    ("c041", "What's something you'd like us to learn together?"),
    ("c042", "What makes you feel respected in a conversation?"),
    ("c043", "What's a tough stretch you're glad you got through, and what carried you?"),
    ("c044", "If we wrote a short guidebook on being us, what would chapter one be called?"),
    ("c045", "What's the kindest thing a stranger has ever done for you?"),
    ("c046", "What's a topic you wish I'd ask you about more?"),
    ("c047", "What's something you've changed your mind about because of me?"),
    ("c048", "What should I know about how you are when you're really tired?"),
    ("c049", "What's your favourite way for us to make up after a bad moment?"),
    ("c050", "What do you miss most when we're apart for a few days?"),
    ("c051", "What's a way you look after yourself that I could make more room for?"),
    ("c052", "What's a story from your childhood you'd like me to hear properly?"),
    ("c053", "If you could keep only one everyday moment with me, which would it be?"),
    ("c054", "What's a first you'd like to share with me someday?"),
    ("c055", "How have you grown since we've known each other, in a way you're glad about?"),
    ("c056", "What's easier to say to friends than to me, or the other way round?"),
];

/// Tier 3 — deep: questions about hopes, fears, old hurts and what holds us, for when there is
/// room to answer slowly and read each other's answers with care.
#[rustfmt::skip]
pub(crate) const DEEP: &[Card] = &[
    ("d001", "What's a fear you carry quietly that you'd like me to help hold?"),
    ("d002", "What is being with me teaching you about yourself?"),
    ("d003", "When have you felt most understood by me, and what made it land?"),
    ("d004", "What's a part of yourself you're still learning to like?"),
    ("d005", "What does feeling safe with someone mean to you, in practical terms?"),
    ("d006", "What do you hope we'll still be doing together, in some form, many years from now?"),
    ("d007", "What's an old hurt that still shows up in how you love?"),
    ("d008", "If we ever hit a really hard stretch, what would you want us to remember?"),
    ("d009", "What's something you need that you find hard to ask for?"),
    ("d010", "Who do you hope to become over the next ten years, and how could I help?"),
    ("d011", "What's a dream you set aside that you still wonder about sometimes?"),
    ("d012", "When do you feel lonely, even with people around?"),
    ("d013", "What's something you forgive yourself for a little more each year?"),
    ("d014", "What do you think we each protect in the other without saying so?"),
    ("d015", "Which of your values would you never bend, and why that one?"),
    ("d016", "What moment made you trust me more than before?"),
    ("d017", "If I noticed you were struggling but not saying so, what would you want me to do?"),
    ("d018", "Is there a conversation we've been circling that you'd be willing to start, gently?"),
    ("d019", "What does home mean to you, beyond a place?"),
    ("d020", "What's a way you've been brave that few people saw?"),
    ("d021", "What from your upbringing would you keep, and what would you gladly leave behind?"),
    ("d022", "How has your idea of a good life changed since we met?"),
    ("d023", "What do you wish you could tell the person you were five years ago?"),
    ("d024", "What do you find hardest to believe about how I see you?"),
    ("d025", "When you imagine growing old, what do you hope stays the same about you?"),
    ("d026", "What's something about us you would fight to protect?"),
    ("d027", "What would you most like the people close to you to remember you for?"),
    ("d028", "What feeling do you find hardest to show me, and what would make it easier?"),
    ("d029", "What's a loss that changed the way you see things?"),
    ("d030", "What's a promise you made to yourself that you still keep?"),
    ("d031", "Where are we different in a way that makes us stronger?"),
    ("d032", "What's a way I could love you that would surprise you?"),
    ("d033", "Which part of your story do you feel I know least well?"),
    ("d034", "What do you need from me when you're doubting yourself?"),
    ("d035", "After a serious argument, before it's solved, what do you need to hear from me?"),
    ("d036", "Is there an old disagreement between us you'd like to put to rest for good?"),
    ("d037", "What would help you feel more free within this relationship?"),
    ("d038", "What does commitment look like to you day to day, whatever shape our life takes?"),
    ("d039", "What about your body, health or energy would you like me to understand better?"),
    ("d040", "What's a question about the future you're a little scared to ask yourself?"),
    ("d041", "When have you felt most at peace in your life, and what made it so?"),
    ("d042", "What do you think I need from you that I don't always ask for?"),
    ("d043", "Is there something you're still grieving, even a little?"),
    ("d044", "What's a risk you'd take someday if you knew for certain I had your back?"),
    ("d045", "What do you hope the two of us bring to the people around us?"),
    ("d046", "What's a side of yourself you show me that you rarely show anyone else?"),
];

/// Morning check-in prompts.
#[rustfmt::skip]
pub(crate) const MORNING: &[Card] = &[
    ("m01", "What's one thing you're looking forward to today, however small?"),
    ("m02", "How did you sleep, and how are you arriving in today?"),
    ("m03", "What's already on your mind this morning?"),
    ("m04", "One word for how you feel right now?"),
    ("m05", "What could I do today that would make your day a little lighter?"),
    ("m06", "Is there a moment today you'd like me to send you good luck for?"),
    ("m07", "How's your battery this morning: full, half, or running on fumes?"),
    ("m08", "What would make today a good day for you?"),
    ("m09", "What's one kind thing you'd like to do for yourself today?"),
    ("m10", "Anything you're nervous about today that you'd like to say out loud?"),
    ("m11", "What do you need more of today: focus, patience, rest or fun?"),
    ("m12", "What's one thing you'd like me to ask you about tonight?"),
    ("m13", "Share one thing you noticed this morning: a sound, a smell, the light."),
    ("m14", "If today goes sideways, what would help you reset?"),
    ("m15", "Name one thing you're glad about as the day begins."),
];

/// Evening debrief prompts.
#[rustfmt::skip]
pub(crate) const EVENING: &[Card] = &[
    ("e01", "What was the best part of your day?"),
    ("e02", "What drained you today, and what gave a bit back?"),
    ("e03", "Anything from today you'd like to get off your chest before sleep?"),
    ("e04", "What surprised you today?"),
    ("e05", "Tell me one small moment from today I'd have liked to see."),
    ("e06", "What did you learn today, about anything at all?"),
    ("e07", "When today did you feel most at ease?"),
    ("e08", "Is there anything from today you'd like a hand with tomorrow?"),
    ("e09", "What's one thing you're ready to let go of before tomorrow?"),
    ("e10", "What made you laugh or smile today?"),
    ("e11", "Who crossed your mind today, and why?"),
    ("e12", "How is your body feeling after today?"),
    ("e13", "What's something you handled well today?"),
    ("e14", "If today were a chapter title, what would it be?"),
    ("e15", "Is there anything you'd like to hear from me before the day ends?"),
];

/// Weekly relationship check-in prompts.
#[rustfmt::skip]
pub(crate) const WEEKLY: &[Card] = &[
    ("w01", "What felt good between us this week?"),
    ("w02", "Was there a moment this week when you felt far from me? What was happening?"),
    ("w03", "What's one thing I did this week that you appreciated?"),
    ("w04", "Is there anything unspoken from this week you'd like to bring up gently?"),
    ("w05", "What's coming up next week that you'd like support with?"),
    ("w06", "How did our time together feel this week: too little, too much, or about right?"),
    ("w07", "What's one small thing we could try differently next week?"),
    ("w08", "What are you proud of from this week, in your own life or in ours?"),
    ("w09", "What's one word for us this week, and what's behind it?"),
    ("w10", "Did you feel heard this week? If not, when did you most want to be?"),
    ("w11", "What's something fun we could plan for the week ahead, even something tiny?"),
    ("w12", "Is there a need of yours that got lost in the busyness of this week?"),
    ("w13", "What's something from this week you'd like to celebrate, however small?"),
    ("w14", "How are you doing, really, underneath this week's to-do list?"),
];

/// "Start small" prompts for reconnecting after distance.
#[rustfmt::skip]
pub(crate) const START_SMALL: &[Card] = &[
    ("s01", "Share one thing you saw today that you liked."),
    ("s02", "What's a small thing you'd enjoy doing together this week, no pressure?"),
    ("s03", "One word for how today went?"),
    ("s04", "What's a song you've had on repeat lately?"),
    ("s05", "Tell me one thing you ate today that was good."),
    ("s06", "What's a small memory of us that makes you smile?"),
    ("s07", "What's one thing you'd like me to know about your day, nothing more?"),
    ("s08", "Name something small I did recently that you liked."),
    ("s09", "What's something you're curious about at the moment?"),
    ("s10", "Describe a photo-worthy moment from today, in words."),
    ("s11", "What's one thing that would make tomorrow a bit easier for you?"),
    ("s12", "What are you reading, watching or listening to these days?"),
    ("s13", "Say one kind thing about yourself today."),
    ("s14", "What's something you'd like to do more of, with or without me?"),
    ("s15", "What's one thing about me you've always liked?"),
    ("s16", "Describe where you are right now in one sentence."),
    ("s17", "Where would you like to go together someday, even just for an afternoon?"),
    ("s18", "Tell me something that made today feel a little lighter."),
    ("s19", "What's a small way I could say hello that you'd enjoy?"),
    ("s20", "What's something you're looking forward to this month?"),
    ("s21", "Share a tiny win from this week."),
    ("s22", "What comfort have you been leaning on lately: a food, a show, a place?"),
    ("s23", "What's one thing we used to do together that you'd like to try again?"),
    ("s24", "What's the weather like where you are, and does it match your mood?"),
    ("s25", "Share one thing you're grateful for today; it can be tiny."),
    ("s26", "Is there something small you'd like from me this week?"),
    ("s27", "What's an easy way we could spend ten minutes together tomorrow?"),
    ("s28", "What's one small thing you're planning just for yourself this week?"),
];

/// Gratitude-at-bedtime invitations ("three ways you lit up my day" style headers).
#[rustfmt::skip]
pub(crate) const GRATITUDE: &[Card] = &[
    ("g01", "Three ways you lit up my day."),
    ("g02", "Something you did today that I don't want to forget."),
    ("g03", "A moment today when I felt lucky to have you."),
    ("g04", "One thing about you I noticed and loved today."),
    ("g05", "Today I'm thankful for you because…"),
    ("g06", "A small thing you did that made a big difference today."),
    ("g07", "Three things I appreciated about you this week."),
    ("g08", "The part of today I'd happily live again, because you were in it."),
    ("g09", "Something you said today that stayed with me."),
    ("g10", "A way you made today easier, even if you didn't notice."),
    ("g11", "What I admired about you today."),
    ("g12", "One reason I'm glad to end the day thinking of you."),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The question tiers: id prefix, digits after it, the list, and its minimum size.
    const TIERS: [(&str, usize, &[Card], usize); 3] = [
        ("l", 3, LIGHT, 50),
        ("c", 3, CLOSER, 50),
        ("d", 3, DEEP, 40),
    ];

    /// The ritual lists, in the same shape.
    const RITUALS: [(&str, usize, &[Card], usize); 5] = [
        ("m", 2, MORNING, 12),
        ("e", 2, EVENING, 12),
        ("w", 2, WEEKLY, 12),
        ("s", 2, START_SMALL, 21),
        ("g", 2, GRATITUDE, 7),
    ];

    fn every_list() -> impl Iterator<Item = (&'static str, usize, &'static [Card], usize)> {
        TIERS.into_iter().chain(RITUALS)
    }

    fn every_card() -> impl Iterator<Item = &'static Card> {
        every_list().flat_map(|(_, _, cards, _)| cards.iter())
    }

    #[test]
    fn every_list_holds_at_least_its_minimum() {
        for (prefix, _, cards, minimum) in every_list() {
            assert!(
                cards.len() >= minimum,
                "list {prefix} has {} cards, needs {minimum}",
                cards.len()
            );
        }
        let questions: usize = TIERS.iter().map(|(_, _, cards, _)| cards.len()).sum();
        assert!(questions >= 140, "{questions} questions in the tiers");
    }

    #[test]
    fn ids_are_unique_across_the_whole_deck() {
        let mut seen = HashSet::new();
        for (id, _) in every_card() {
            assert!(seen.insert(*id), "id {id} is used twice");
        }
    }

    #[test]
    fn ids_carry_their_list_prefix_and_a_fixed_width_number() {
        for (prefix, width, cards, _) in every_list() {
            for (id, _) in cards {
                let number = id
                    .strip_prefix(prefix)
                    .unwrap_or_else(|| panic!("id {id} lacks the prefix {prefix}"));
                assert_eq!(number.len(), width, "id {id} should have {width} digits");
                assert!(
                    number.bytes().all(|b| b.is_ascii_digit()),
                    "id {id} is not numbered"
                );
                assert_ne!(
                    number.trim_start_matches('0'),
                    "",
                    "id {id} is numbered zero"
                );
            }
        }
    }

    #[test]
    fn texts_are_present_tidy_and_short() {
        for (id, text) in every_card() {
            assert!(!text.trim().is_empty(), "{id} has no text");
            assert_eq!(text.trim(), *text, "{id} has stray whitespace at an end");
            assert!(!text.contains("  "), "{id} has a double space");
            let length = text.chars().count();
            assert!(length <= 200, "{id} is {length} characters long");
        }
    }

    #[test]
    fn no_text_appears_twice() {
        let mut seen = HashSet::new();
        for (id, text) in every_card() {
            assert!(
                seen.insert(text.to_lowercase()),
                "{id} repeats an earlier text"
            );
        }
    }

    #[test]
    fn every_question_ends_with_a_question_mark() {
        for (_, _, cards, _) in TIERS {
            for (id, text) in cards {
                assert!(text.ends_with('?'), "{id} is not a question: {text}");
            }
        }
    }

    #[test]
    fn every_ritual_prompt_ends_like_a_sentence() {
        for (_, _, cards, _) in RITUALS {
            for (id, text) in cards {
                assert!(text.ends_with(['?', '.', '…']), "{id} ends oddly: {text}");
            }
        }
    }
}
