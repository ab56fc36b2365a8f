use super::*;

const C1: &str = "003D0000001aH2AIAU";
const C1_15: &str = "003D0000001aH2A";
const C2: &str = "0036000000QKv5TAAT";

fn ids(list: &ContactList) -> Vec<&str> {
    list.ids.iter().map(Id::as_str).collect()
}

fn ok(text: &str, column: Option<&str>) -> ContactList {
    parse(text, "contacts.csv", column).unwrap_or_else(|e| panic!("{e}"))
}

fn err(text: &str, column: Option<&str>) -> String {
    match parse(text, "contacts.csv", column) {
        Ok(list) => panic!("accepted {list:?}"),
        Err(e) => {
            assert_eq!(e.exit_code(), crate::exit::BAD_INPUT);
            assert_eq!(e.name(), "InvalidContacts");
            e.to_string()
        }
    }
}

#[test]
fn one_id_per_line_with_15_and_18_characters_and_duplicates_collapsed() {
    let list = ok(
        &format!("{C1_15}\n\n  {C2}  \r\n{C1}\n0036000000qkv5taat\n"),
        None,
    );
    assert_eq!(ids(&list), [C1, C2]);
    assert_eq!(list.duplicates, 2);
}

#[test]
fn header_csv_finds_the_id_column_by_name() {
    let list = ok(
        &format!(
            "\u{feff}Name,Contact ID,Email\n\"Doe, Jane\",{C1},j@x.com\nBob,{C2},b@x.com\n,,\n"
        ),
        None,
    );
    assert_eq!(ids(&list), [C1, C2]);
    // `ContactId` wins over `Id`; semicolons and our own results file work too.
    assert_eq!(ids(&ok(&format!("Id;ContactId\n{C2};{C1}\n"), None)), [C1]);
    assert_eq!(
        ids(&ok(
            &format!("contact_id,user_id,status\n{C1},,DISABLED\n"),
            None
        )),
        [C1]
    );
    assert_eq!(ids(&ok(&format!("Id\n{C2}\n"), None)), [C2]);
    assert_eq!(
        ids(&ok(&format!("Person,Ref\nx,{C2}\n"), Some("ref"))),
        [C2]
    );
}

#[test]
fn bad_lines_are_named_with_their_line_numbers() {
    let text = format!(
        "ContactId,Name\n{C1},a\n001D000000IRFmaIAH,b\nhello,c\n003D0000001aH2AIA9,d\n,e\na0RE000000IJmcN,f\n"
    );
    let message = err(&text, None);
    assert!(
        message.starts_with("5 bad lines in --contacts `contacts.csv`"),
        "{message}"
    );
    for want in [
        "contacts.csv:3: `001D000000IRFmaIAH` is an Account Id, not a Contact Id",
        "contacts.csv:4: `hello` is not a Salesforce Id",
        "contacts.csv:5: `003D0000001aH2AIA9` has a wrong checksum",
        "contacts.csv:6: empty Contact Id",
        "contacts.csv:7: `a0RE000000IJmcN` is not a Contact Id (Contact Ids start with 003)",
    ] {
        assert!(message.contains(want), "{want}\n{message}");
    }
    assert!(!message.contains(":2:"), "{message}");
    assert!(!message.contains('\n'), "one line: {message}");
}

#[test]
fn only_the_first_ten_problems_are_named() {
    let text: String = (0..25).map(|i| format!("bad{i}\n")).collect();
    let message = err(&text, None);
    assert!(message.starts_with("25 bad lines"), "{message}");
    assert!(message.contains("(the first 10: "), "{message}");
    assert!(!message.contains('\n'), "one line: {message}");
    assert!(message.contains("contacts.csv:10:") && !message.contains("contacts.csv:11:"));
}

#[test]
fn empty_lists_and_missing_columns_are_bad_input() {
    assert!(err("", None).contains("lists no Contacts"));
    assert!(err("\n \n", None).contains("lists no Contacts"));
    assert!(err("ContactId,Name\n", None).contains("lists no Contacts"));
    let message = err(&format!("Name,Email\nx,{C1}\n"), None);
    assert!(
        message.contains(
            "no column is named ContactId, Contact Id or Id (the header has `Name`, `Email`)"
        ),
        "{message}"
    );
    assert!(
        err(&format!("Name,Email\nx,{C1}\n"), Some("Ref")).contains("there is no column `Ref`")
    );
}

#[test]
fn control_characters_in_cells_are_escaped() {
    let message = err("\u{1b}[31mevil\n", None);
    assert!(!message.contains('\u{1b}'), "{message}");
    assert!(message.contains("\\u{1b}[31mevil"), "{message}");
}
