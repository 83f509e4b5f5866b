"""One taxonomy for every module: the categories and topics a town sorts its content into.

News categories, Branchenbuch branches, Suche & Biete categories and Pinnwand
topics were four copies of the same model, seeding, services, views and
templates. Here is the one version: ``Term`` (name, slug, position, colour,
icon), one set of services (seed, create, rename, restyle, reorder, delete),
one back-office view set with its template, and a ``Taxonomy`` declaration
with which a module says how its terms behave.

Why an abstract model and not one shared table
----------------------------------------------
Each module keeps its own concrete table (``news.Category(Term)``,
``board.Topic(Term)`` ...) and the code on top of it is shared. A single
``taxonomy_term`` table with a "scope" column was the alternative; it loses on
every point that matters here:

* **Ids are referenced outside the town's schema.** Billing's promotions (public
  schema) store a Branchenbuch category's id as ``target_id``. Moving rows into
  one table renumbers them (four sequences that all start at 1 collide), and a
  tenant migration can't fix rows in the public schema. Saved links to
  ``/news/manage/categories/<pk>/`` would point elsewhere as well.
* **Integrity stays in the database.** A foreign key to ``board.Topic`` can
  only hold a board topic; with one table a Pinnwand post could point at a
  news category, and every query (forms, API filters, slugs) would need a
  scope filter that is easy to forget.
* **Migrations stay boring.** Town by town (django-tenants' migrate_schemas),
  adding two optional columns can't fail half-way; copying rows and remapping
  foreign keys, M2M through tables and billing ids can.
* **A module's data leaves with the module.** No rows of a removed module
  linger in a shared table.

The price: a new module writes three lines of model (``class Kind(Term)``) and
gets a migration from makemigrations; everything else (services, pages,
template, seeding, texts) it takes from here.
"""
