//! The date-night ideas Hearth offers for the weekly date night: original ideas written for Hearth.
//!
//! Each idea says where it happens and whether it costs anything, so a couple can pick what suits
//! the week. Ids are stable forever: a plan in a journal refers to its idea by id, so text may be
//! polished later but an id is never reused for a different idea.

/// Where a date happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Place {
    /// At home.
    Home,
    /// Out of the house.
    Out,
}

/// What a date costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cost {
    /// Costs nothing.
    Free,
    /// Costs a little or more.
    Paid,
}

/// An idea for a date night.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DateIdea {
    /// Its stable id (plans refer to it).
    pub id: &'static str,
    /// The idea, in a sentence or two.
    pub text: &'static str,
    /// Where it happens.
    pub place: Place,
    /// What it costs.
    pub cost: Cost,
}

/// Builds one idea of the table below, so each fits on a line.
const fn idea(id: &'static str, text: &'static str, place: Place, cost: Cost) -> DateIdea {
    DateIdea {
        id,
        text,
        place,
        cost,
    }
}

use Cost::{Free, Paid};
use Place::{Home, Out};

/// Every idea of the deck, mixed so that neighbouring ideas differ in place and cost.
#[rustfmt::skip]
pub const DATE_IDEAS: &[DateIdea] = &[
    idea("d001", "Cook a meal from whatever is already in the cupboard, then give the finished dish a grand restaurant name.", Home, Free),
    idea("d002", "Pick a country neither of you has visited and cook a dinner from its kitchen, shopping for the ingredients together.", Home, Paid),
    idea("d003", "Walk down a street near home you've never taken, and each point out three things the other would have missed.", Out, Free),
    idea("d004", "Take a one-evening class together — pottery, dance, cooking — in something neither of you has tried before.", Out, Paid),
    idea("d005", "Build a blanket fort in the living room and watch a film from inside it.", Home, Free),
    idea("d006", "Buy a jigsaw puzzle you both like the look of and work on it together with music playing.", Home, Paid),
    idea("d007", "On a clear night, find a dark open spot and look for stars, planets and passing satellites together.", Out, Free),
    idea("d008", "Go to a small local theatre, comedy night or concert, and choose the seats together.", Out, Paid),
    idea("d009", "Dig out old photos and each pick one from before you met, then tell the story behind it.", Home, Free),
    idea("d010", "Order from a takeaway you've never tried and review each dish out loud like a pair of food critics.", Home, Paid),
    idea("d011", "Visit a free museum or gallery and each choose the one piece you'd take home if you could.", Out, Free),
    idea("d012", "Ride a bus or train line to its last stop and explore wherever it leaves you.", Out, Paid),
    idea("d013", "Write each other a short letter to open a year from now. Seal them and hide them somewhere safe.", Home, Free),
    idea("d014", "Get a cheap set of paints or some air-dry clay and make a small gift for each other, then swap.", Home, Paid),
    idea("d015", "Pack a simple picnic from the kitchen and eat it in a park you don't usually go to.", Out, Free),
    idea("d016", "Try a restaurant serving food neither of you has eaten before, and ask the staff to recommend a dish.", Out, Paid),
    idea("d017", "Make a playlist together, taking turns to add a song that says something about the two of you.", Home, Free),
    idea("d018", "Bake bread or a cake from a recipe neither of you has tried, and share the first slice while it's still warm.", Home, Paid),
    idea("d019", "Watch the sunset or the sunrise together from the best spot you can find nearby.", Out, Free),
    idea("d020", "Catch an afternoon film, then go for a bite to eat and talk it over.", Out, Paid),
    idea("d021", "Sit facing each other and draw each other's portrait in ten minutes. Keep the funniest one on the fridge for a week.", Home, Free),
    idea("d022", "Rent a film one of you loved years ago and the other has never seen, and get proper cinema snacks for it.", Home, Paid),
    idea("d023", "Spend an hour at the library choosing a book for each other, then read the first page aloud to each other.", Out, Free),
    idea("d024", "Visit a botanical garden, aquarium or zoo, and each find your favourite living thing there.", Out, Paid),
    idea("d025", "Plan a dream trip in detail — the route, the food, the first morning — without worrying whether it will ever happen.", Home, Free),
    idea("d026", "Plant herbs or a small plant in a pot together, and choose a name for it.", Home, Paid),
    idea("d027", "Go on a photo walk where you only photograph one colour, then compare what each of you found.", Out, Free),
    idea("d028", "Go bowling, play mini golf or visit an arcade, and don't keep score at all.", Out, Paid),
    idea("d029", "Teach each other something you're good at, from a card trick to a favourite recipe, in twenty minutes each.", Home, Free),
    idea("d030", "Buy a new two-player game and learn the rules together as you go.", Home, Paid),
    idea("d031", "Find a free concert, talk or market in your town and go along, even if it's not your usual thing.", Out, Free),
    idea("d032", "Book a table at the café you always walk past but have never been inside.", Out, Paid),
    idea("d033", "Spread a blanket on the floor for an indoor picnic, with whatever snacks you have and the phones in another room.", Home, Free),
    idea("d034", "Make pizzas at home with one secret topping each, and let the other guess it with their eyes closed.", Home, Paid),
    idea("d035", "Go back to where you had your first date or first long talk, and tell each other what you remember.", Out, Free),
    idea("d036", "Wander a market with a small budget each and buy the other a little surprise.", Out, Paid),
    idea("d037", "Read aloud to each other from a book one of you loved as a child.", Home, Free),
    idea("d038", "Each cook a dessert from your childhood and tell the stories that go with it.", Home, Paid),
    idea("d039", "Spend an hour helping out together — a litter pick, a community garden, or a neighbour who could use a hand.", Out, Free),
    idea("d040", "Rent bikes, a rowing boat or a pedal boat for an hour, whichever suits you both best.", Out, Paid),
    idea("d041", "Write a list together of twenty small things you'd love to do this year, then pick one for next week.", Home, Free),
    idea("d042", "Get a simple craft kit — candles, a tiny terrarium, embroidery — and make it side by side.", Home, Paid),
    idea("d043", "Let a coin toss decide each turn on a walk around your neighbourhood, and see where you end up.", Out, Free),
    idea("d044", "Take a day trip to a nearby town neither of you knows, and simply wander.", Out, Paid),
    idea("d045", "Put on a song you both love and dance, sway or simply hold each other in the kitchen.", Home, Free),
    idea("d046", "Pick one special ingredient you'd never usually buy and build a whole dinner around it.", Home, Paid),
    idea("d047", "Find a bench with a good view and invent kind, far-fetched life stories for the people passing by.", Out, Free),
    idea("d048", "Find a paint-your-own-pottery place and decorate a mug for each other.", Out, Paid),
    idea("d049", "Bring out a board or card game you haven't played in ages, and invent one new house rule together.", Home, Free),
    idea("d050", "Print a handful of favourite photos of you two and make a small album or a corner of wall together.", Home, Paid),
    idea("d051", "Find out which is the oldest tree or building near you, and go and pay it a visit.", Out, Free),
    idea("d052", "Treat yourselves to breakfast out on an ordinary weekday, as if you were on holiday.", Out, Paid),
    idea("d053", "Turn the lights down and take turns telling the story of how you met, each from your own side.", Home, Free),
    idea("d054", "Hold a tasting of three teas or hot chocolates you've never tried, and describe each like experts.", Home, Paid),
    idea("d055", "Go for a walk in gentle rain with hoods or an umbrella, and make a point of enjoying it.", Out, Free),
    idea("d056", "See a museum's special exhibition, then linger over tea and cake in its café afterwards.", Out, Paid),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The fewest ideas the deck may hold, and the fewest for each place and cost.
    const MINIMUM: usize = 48;
    const MINIMUM_EACH: usize = 10;

    #[test]
    fn ids_are_unique_and_carry_the_prefix() {
        let mut seen = HashSet::new();
        for idea in DATE_IDEAS {
            assert!(
                idea.id.starts_with('d'),
                "id {} lacks the prefix d",
                idea.id
            );
            assert!(seen.insert(idea.id), "id {} is used twice", idea.id);
        }
    }

    #[test]
    fn ids_are_numbered_in_order_from_one() {
        for (i, idea) in DATE_IDEAS.iter().enumerate() {
            assert_eq!(idea.id, format!("d{:03}", i + 1), "ids skip or repeat");
        }
    }

    #[test]
    fn the_deck_holds_at_least_its_minimum() {
        assert!(
            DATE_IDEAS.len() >= MINIMUM,
            "{} ideas, needs {MINIMUM}",
            DATE_IDEAS.len()
        );
    }

    #[test]
    fn every_place_and_cost_has_enough_ideas() {
        for place in [Place::Home, Place::Out] {
            for cost in [Cost::Free, Cost::Paid] {
                let count = DATE_IDEAS
                    .iter()
                    .filter(|i| i.place == place && i.cost == cost)
                    .count();
                assert!(
                    count >= MINIMUM_EACH,
                    "{place:?} and {cost:?} has {count} ideas, needs {MINIMUM_EACH}"
                );
            }
        }
    }

    #[test]
    fn texts_are_present_short_and_end_like_a_sentence() {
        for idea in DATE_IDEAS {
            let (id, text) = (idea.id, idea.text);
            assert!(!text.trim().is_empty(), "{id} has no text");
            assert_eq!(text.trim(), text, "{id} has stray whitespace at an end");
            assert!(!text.contains("  "), "{id} has a double space");
            let length = text.chars().count();
            assert!(length <= 160, "{id} is {length} characters long");
            assert!(text.ends_with(['.', '!', '?']), "{id} ends oddly: {text}");
        }
    }

    #[test]
    fn no_text_appears_twice() {
        let mut seen = HashSet::new();
        for idea in DATE_IDEAS {
            assert!(
                seen.insert(idea.text.to_lowercase()),
                "{} repeats an earlier text",
                idea.id
            );
        }
    }
}
