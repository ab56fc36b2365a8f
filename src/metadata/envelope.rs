//! SOAP request envelopes, written strictly: `met:` prefix, the SessionHeader, and every
//! DeployOptions element in WSDL sequence order (metadata-api.md §2.1-2.2).
//!
//! Salesforce accepts looser requests, but the WSDL order is the one shape every server
//! version and every simulator must accept, so that is what we send. The deploy envelope is
//! returned as the text before and after the zip's base64 so the zip can be streamed into
//! the request without building the whole envelope in memory.

use quick_xml::escape::escape;

use crate::secret::Secret;
pub use crate::test_level::TestLevel;

/// `DeployOptions`, the fields we set. The ones the docs call "reserved" or unsafe for
/// production (`allowMissingFiles`, `autoUpdatePackage`, `performRetrieve`, `purgeOnDelete`)
/// are always sent as false.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployOptions {
    pub check_only: bool,
    pub ignore_warnings: bool,
    pub rollback_on_error: bool,
    pub run_tests: Vec<String>,
    /// `true` when `package.xml` is at the zip's root.
    pub single_package: bool,
    /// `None` lets the org apply its default.
    pub test_level: Option<TestLevel>,
}

/// The client name sent in CallOptions, so org admins can see who deployed.
pub const CLIENT: &str = concat!("portal-disable/", env!("CARGO_PKG_VERSION"));

const OPEN: &str = r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:met="http://soap.sforce.com/2006/04/metadata"><soapenv:Header><met:SessionHeader><met:sessionId>"#;

fn header_and_body_open(session: &Secret) -> String {
    format!(
        "{OPEN}{}</met:sessionId></met:SessionHeader><met:CallOptions><met:client>{CLIENT}</met:client></met:CallOptions></soapenv:Header><soapenv:Body>",
        escape(session.expose())
    )
}

const CLOSE: &str = "</soapenv:Body></soapenv:Envelope>";

/// `deploy(ZipFile, DeployOptions)`: (text before the base64 zip, text after it).
pub fn deploy(session: &Secret, options: &DeployOptions) -> (String, String) {
    let before = format!("{}<met:deploy><met:ZipFile>", header_and_body_open(session));
    let flag = |b: bool| if b { "true" } else { "false" };
    let mut after = String::from("</met:ZipFile><met:DeployOptions>");
    after.push_str("<met:allowMissingFiles>false</met:allowMissingFiles>");
    after.push_str("<met:autoUpdatePackage>false</met:autoUpdatePackage>");
    after.push_str(&format!(
        "<met:checkOnly>{}</met:checkOnly>",
        flag(options.check_only)
    ));
    after.push_str(&format!(
        "<met:ignoreWarnings>{}</met:ignoreWarnings>",
        flag(options.ignore_warnings)
    ));
    after.push_str("<met:performRetrieve>false</met:performRetrieve>");
    after.push_str("<met:purgeOnDelete>false</met:purgeOnDelete>");
    after.push_str(&format!(
        "<met:rollbackOnError>{}</met:rollbackOnError>",
        flag(options.rollback_on_error)
    ));
    for test in &options.run_tests {
        after.push_str(&format!("<met:runTests>{}</met:runTests>", escape(test)));
    }
    after.push_str(&format!(
        "<met:singlePackage>{}</met:singlePackage>",
        flag(options.single_package)
    ));
    if let Some(level) = options.test_level {
        after.push_str(&format!(
            "<met:testLevel>{}</met:testLevel>",
            level.as_str()
        ));
    }
    after.push_str("</met:DeployOptions></met:deploy>");
    after.push_str(CLOSE);
    (before, after)
}

/// `checkDeployStatus(asyncProcessId, includeDetails)`.
pub fn check_deploy_status(session: &Secret, id: &str, include_details: bool) -> String {
    format!(
        "{}<met:checkDeployStatus><met:asyncProcessId>{}</met:asyncProcessId><met:includeDetails>{include_details}</met:includeDetails></met:checkDeployStatus>{CLOSE}",
        header_and_body_open(session),
        escape(id)
    )
}

/// `cancelDeploy(String)`: the WSDL really names the element `String`.
pub fn cancel_deploy(session: &Secret, id: &str) -> String {
    format!(
        "{}<met:cancelDeploy><met:String>{}</met:String></met:cancelDeploy>{CLOSE}",
        header_and_body_open(session),
        escape(id)
    )
}

/// `deployRecentValidation(validationId)`.
pub fn deploy_recent_validation(session: &Secret, id: &str) -> String {
    format!(
        "{}<met:deployRecentValidation><met:validationId>{}</met:validationId></met:deployRecentValidation>{CLOSE}",
        header_and_body_open(session),
        escape(id)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::xml;

    #[test]
    fn deploy_options_in_wsdl_order() {
        let options = DeployOptions {
            check_only: true,
            ignore_warnings: false,
            rollback_on_error: true,
            run_tests: vec!["ATest".into(), "BTest".into()],
            single_package: true,
            test_level: Some(TestLevel::RunSpecifiedTests),
        };
        let (before, after) = deploy(&Secret::new("tok&en"), &options);
        let text = format!("{before}UEsD{after}");
        let root = xml::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        let session = root.path(&["Header", "SessionHeader", "sessionId"]);
        assert_eq!(session.map(|s| s.text.as_str()), Some("tok&en"));
        let opts = root
            .path(&["Body", "deploy", "DeployOptions"])
            .unwrap_or_else(|| panic!("no options"));
        let names: Vec<&str> = opts.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "allowMissingFiles",
                "autoUpdatePackage",
                "checkOnly",
                "ignoreWarnings",
                "performRetrieve",
                "purgeOnDelete",
                "rollbackOnError",
                "runTests",
                "runTests",
                "singlePackage",
                "testLevel"
            ]
        );
    }
}
