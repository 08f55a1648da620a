// Compiles each JSON Schema given on the command line with ajv in strict mode.
// Prints one line per schema; exits 1 when any schema is rejected.
// markdownDescription is the annotation editors (yaml-language-server, VS Code) show on
// hover; it is declared as the annotation it is, as strict mode asks of any keyword.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

let failed = false;
for (const file of process.argv.slice(2)) {
  const ajv = new Ajv2020({ strict: true, allErrors: true, logger: false });
  addFormats(ajv);
  ajv.addVocabulary(["markdownDescription"]);
  try {
    ajv.compile(JSON.parse(readFileSync(file, "utf8")));
    console.log(`ok ${file}`);
  } catch (error) {
    failed = true;
    console.log(`rejected ${file}: ${error.message}`);
  }
}
process.exit(failed ? 1 : 0);
