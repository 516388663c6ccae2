"""The namespaces rolkg uses, in one place: ontology terms, data IRIs and graph names."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, QB, RDF, RDFS, SKOS, XSD
from rdflib.namespace import Namespace as _NS

ROL = Namespace("https://w3id.org/rolkg/ontology#")
ID = Namespace("https://w3id.org/rolkg/id/")
GRAPH = Namespace("https://w3id.org/rolkg/graph/")
THEME = Namespace("https://w3id.org/rolkg/id/theme/")
ORG = _NS("http://www.w3.org/ns/org#")
OA = _NS("http://www.w3.org/ns/oa#")
ELI = _NS("http://data.europa.eu/eli/ontology#")
SD = _NS("http://www.w3.org/ns/sparql-service-description#")

ONTOLOGY_GRAPH = GRAPH["ontology"]
CURATION_GRAPH = GRAPH["curation"]

PREFIXES: dict[str, str] = {
    "rol": str(ROL),
    "rolid": str(ID),
    "org": str(ORG),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "eli": str(ELI),
    "skos": str(SKOS),
    "qb": str(QB),
    "oa": str(OA),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}

__all__ = [
    "CURATION_GRAPH",
    "DCTERMS",
    "ELI",
    "GRAPH",
    "ID",
    "OA",
    "ONTOLOGY_GRAPH",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "QB",
    "RDF",
    "RDFS",
    "ROL",
    "SD",
    "SKOS",
    "THEME",
    "XSD",
]
