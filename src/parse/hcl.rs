//! HCL (Terraform `.tf`) into an hcl-edit `Body` whose blocks, attributes and expressions all
//! carry byte spans. Interpretation of the body lives in `inputs::terraform`.

use hcl_edit::structure::Body;

use super::ParseError;

pub fn parse_body(text: &str) -> Result<Body, ParseError> {
    hcl_edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        // hcl-edit's message is short; its `line()` holds the whole offending source line,
        // which may be huge or hold a secret, so it is never copied into the diagnostic.
        ParseError::at(e.message().to_string(), loc.line(), loc.column())
    })
}
