import baseConfig from "../../eslint.config.mjs";

export default [
    ...baseConfig,
    {
        files: [
            "**/*.json"
        ],
        rules: {
      "@nx/dependency-checks": [
        "error",
        {
          "ignoredFiles": [
            "{projectRoot}/eslint.config.{js,cjs,mjs,ts,cts,mts}",
            "{projectRoot}/rollup.config.{js,ts,mjs,mts,cjs,cts}"
          ]
        }
      ]
    },
        languageOptions: {
            parser: await import("jsonc-eslint-parser")
        }
    }
];
