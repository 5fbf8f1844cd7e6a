#!/bin/sh
# Tests de l'application d'exemple : chaque page du site est du HTML en français avec un titre. Le résultat est
# écrit au format JUnit (reports/junit.xml), que la chaîne lit pour la certification.
set -u
mkdir -p reports
failures=0
cases=''
for page in site/*.html; do
  echo "Vérification de $page"
  if grep -q '<html lang="fr">' "$page" && grep -q '<title>' "$page"; then
    cases="$cases<testcase classname=\"site\" name=\"$page\"/>"
  else
    failures=$((failures + 1))
    cases="$cases<testcase classname=\"site\" name=\"$page\"><failure message=\"langue ou titre manquant\"/></testcase>"
  fi
done
count=$(ls site/*.html | wc -l)
printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="site" tests="%s" failures="%s">%s</testsuite>\n' "$count" "$failures" "$cases" > reports/junit.xml
echo "$count page(s) vérifiée(s), $failures échec(s)"
[ "$failures" -eq 0 ]
